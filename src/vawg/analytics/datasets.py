"""Every dataset the analytics store holds, with its Parquet columns: one registry.

data.police.uk files, the force extract templates and the Home Office tables each define
their own columns; metric queries see one DuckDB view per dataset, named as here, which
exists (empty, with these columns) even before anything is imported.
"""

from __future__ import annotations

from collections.abc import Mapping

from vawg.analytics.home_office import POPULATION_PARQUET_COLUMNS, PRC_PARQUET_COLUMNS
from vawg.analytics.police_uk import DATASETS as POLICE_UK_DATASETS
from vawg.extracts.templates import TEMPLATES

Columns = tuple[tuple[str, str], ...]

#: Census 2011 was taken on 27 March 2011; population partitions are filed under that month.
POPULATION_MONTH = "2011-03"


def extract_dataset(template_slug: str) -> str:
    """The dataset (and view) name of a force extract template.

    >>> extract_dataset("da-incidents")
    'da_incidents'
    """
    return template_slug.replace("-", "_")


def _schemas() -> dict[str, Columns]:
    schemas: dict[str, Columns] = {
        name: dataset.parquet_columns for name, dataset in POLICE_UK_DATASETS.items()
    }
    for slug, template in TEMPLATES.items():
        schemas[extract_dataset(slug)] = tuple(template.parquet_columns())
    schemas["prc"] = PRC_PARQUET_COLUMNS
    schemas["force_population"] = (*POPULATION_PARQUET_COLUMNS, ("month", "VARCHAR"))
    return schemas


SCHEMAS: Mapping[str, Columns] = _schemas()
EXTRACT_DATASETS: tuple[str, ...] = tuple(extract_dataset(slug) for slug in TEMPLATES)
