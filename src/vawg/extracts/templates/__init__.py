"""The force system extract templates, written as data.

No open source holds what a force's own systems know about domestic abuse, protective orders,
referrals, missing-person episodes or specialist training. The tracker therefore defines one
import template per kind of extract: the columns, their types and rules, and the cross-column
rules a row must meet. :mod:`vawg.extracts.validate` checks a file against a template,
``make_template_files`` writes the empty CSV/XLSX templates and the documentation pages from
these definitions, and the metric catalogue queries the Parquet written from them (one view per
template, named :attr:`Template.dataset`).

Data protection is designed in: no column takes a name or free-text narrative. People appear
only as pseudonymous references (``P-000123``), and only where a metric needs to recognise the
same person twice (repeat missing episodes).

One template is national rather than the force's own: ``national-outcomes`` holds every
force's serious sexual offence outcome counts, for the national ranking (its rows name their
force, see :attr:`Template.row_force`).

Every row gains a ``month`` (``YYYY-MM``): the template's own ``month`` column where it has one
(checked against the row's date where both exist), otherwise the month of the column named by
:attr:`Template.month_from`.
"""

from __future__ import annotations

from collections.abc import Mapping

from vawg.extracts.templates.domestic_abuse import (
    CLARES_LAW,
    DA_CRIMES,
    DA_INCIDENTS,
    MARAC_REFERRALS,
    PROTECTIVE_ORDERS,
)
from vawg.extracts.templates.model import (
    COLUMN_TYPES,
    OUTCOME_CODES,
    PROSECUTION_IMPOSSIBLE_CODES,
    AtMost,
    Column,
    Conditional,
    DerivedFlag,
    NotBefore,
    Rule,
    Template,
)
from vawg.extracts.templates.model import (
    FILLED as FILLED,
)
from vawg.extracts.templates.model import (
    FINAL_OUTCOME_CODES as FINAL_OUTCOME_CODES,
)
from vawg.extracts.templates.model import (
    SQL_TYPES as SQL_TYPES,
)
from vawg.extracts.templates.model import (
    TYPE_FORMATS as TYPE_FORMATS,
)
from vawg.extracts.templates.model import (
    ColumnType as ColumnType,
)
from vawg.extracts.templates.national import NATIONAL_OUTCOMES
from vawg.extracts.templates.safeguarding import (
    FINALISED_CRIMES,
    MISSING_EPISODES,
    PARTNER_REFERRALS,
)
from vawg.extracts.templates.workforce import SPECIALIST_STAFF, VICTIM_FEEDBACK

__all__ = [
    "COLUMN_TYPES",
    "OUTCOME_CODES",
    "PROSECUTION_IMPOSSIBLE_CODES",
    "TEMPLATES",
    "AtMost",
    "Column",
    "Conditional",
    "DerivedFlag",
    "NotBefore",
    "Rule",
    "Template",
    "get_template",
]

TEMPLATES: Mapping[str, Template] = {
    t.slug: t
    for t in (
        DA_INCIDENTS,
        DA_CRIMES,
        PROTECTIVE_ORDERS,
        CLARES_LAW,
        MARAC_REFERRALS,
        MISSING_EPISODES,
        FINALISED_CRIMES,
        SPECIALIST_STAFF,
        VICTIM_FEEDBACK,
        PARTNER_REFERRALS,
        NATIONAL_OUTCOMES,
    )
}


def get_template(name: str | Template) -> Template:
    """The template of a slug (``da-incidents``) or dataset name (``da_incidents``).

    >>> get_template("da_incidents").slug
    'da-incidents'
    """
    if isinstance(name, Template):
        return name
    slug = name.replace("_", "-")
    try:
        return TEMPLATES[slug]
    except KeyError:
        raise KeyError(
            f"no extract template {name!r}; expected one of {', '.join(TEMPLATES)}"
        ) from None
