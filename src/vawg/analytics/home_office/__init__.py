"""National comparison from the Home Office police recorded crime (PRC) table.

The Home Office publishes recorded crime by police force area, offence code and
financial-year quarter. This package turns that table into what a force needs to see itself
among the others: per force and quarter, how many rapes, other sexual offences and stalking
and harassment offences were recorded, per 1,000 residents, and where that rate ranks
nationally and among a peer group.

Pure Python plus DuckDB (for writing Parquet), no Django. Everything takes plain paths and
values so the CLI, a background task, a notebook or a test can call it.

Decisions worth knowing (each one is repeated where the code makes it):

- **Forces.** The 43 territorial forces of England and Wales, slugged as data.police.uk slugs
  them (``metropolitan``, ``city-of-london``, ...). The PRC table also holds British Transport
  Police and four fraud bodies: they are known, kept in the Parquet output (so table totals
  reconcile with the published national figure) and slugged, but they have no resident
  population and are never ranked. Any other force name is refused.
- **Population** is Census 2011 usual residents (the only population in our data), summed
  from LSOAs; see :func:`force_populations` for how each LSOA gets its force. Using 2011
  residents for 2017/18 crime overstates rates where population grew; all forces share the
  bias, but not equally (fast-growing areas are flattered less).
- **Offence groups** are chosen by ``Offence_Subgroup``, and the offence codes each subgroup
  must contain are written down in :data:`OFFENCE_GROUPS` and checked row by row, so a
  renamed or re-coded offence fails loudly instead of silently dropping out of a rate.
- **Ranks**: 1 = highest rate. Ties (equal rates, compared exactly as fractions) share the
  best rank and the next rank is skipped ("competition" ranking, 1-2-2-4), the same as SQL's
  ``rank()`` so the metric queries and this module agree.
- **Peer groups** are our own proxy for HMICFRS "most similar groups" (which are not in our
  data): the 7 forces nearest in Census 2011 population density. They are stored as data in
  ``peer_groups.yaml`` beside this package and can be replaced by the official groups.

Modules, by what they hold: :mod:`~vawg.analytics.home_office.forces` (the forces and how
sources name them), :mod:`~vawg.analytics.home_office.offences` (offence groups),
:mod:`~vawg.analytics.home_office.prc` (reading the PRC table),
:mod:`~vawg.analytics.home_office.population` (residents per force),
:mod:`~vawg.analytics.home_office.peers` (peer groups), :mod:`~vawg.analytics.home_office.rates`
(rates and ranks) and :mod:`~vawg.analytics.home_office.parquet` (Parquet output and views).
Everything public is importable from this package, as before the split.
"""

from __future__ import annotations

# ENGLISH_LA_FORCE_FALLBACK and DENSITY_RULE are public but were never in __all__: re-exported
# explicitly (``X as X``) so `from vawg.analytics.home_office import *` stays as it was.
from vawg.analytics.home_office.forces import (
    ENGLISH_LA_FORCE_FALLBACK as ENGLISH_LA_FORCE_FALLBACK,
)
from vawg.analytics.home_office.forces import (
    FORCE_SLUGS,
    FORCES,
    NON_TERRITORIAL_PRC_NAMES,
    WELSH_LA_FORCE,
    Force,
    UnknownForceError,
    prc_force_slug,
)
from vawg.analytics.home_office.offences import OFFENCE_GROUPS, OffenceGroup
from vawg.analytics.home_office.parquet import (
    POPULATION_PARQUET_COLUMNS,
    PRC_PARQUET_COLUMNS,
    create_views,
    population_to_parquet,
    prc_to_parquet,
)
from vawg.analytics.home_office.peers import DENSITY_RULE as DENSITY_RULE
from vawg.analytics.home_office.peers import (
    PEER_GROUP_SIZE,
    PEER_GROUPS_FILE,
    load_peer_groups,
    peer_groups_by_density,
    peer_groups_yaml,
    write_peer_groups_yaml,
)
from vawg.analytics.home_office.population import ForcePopulation, force_populations
from vawg.analytics.home_office.prc import PRC_COLUMNS, PrcRow, quarter_end_month, read_prc
from vawg.analytics.home_office.rates import OffenceRate, competition_rank, offence_rates

__all__ = [
    "FORCES",
    "FORCE_SLUGS",
    "NON_TERRITORIAL_PRC_NAMES",
    "OFFENCE_GROUPS",
    "PEER_GROUPS_FILE",
    "PEER_GROUP_SIZE",
    "POPULATION_PARQUET_COLUMNS",
    "PRC_COLUMNS",
    "PRC_PARQUET_COLUMNS",
    "WELSH_LA_FORCE",
    "Force",
    "ForcePopulation",
    "OffenceGroup",
    "OffenceRate",
    "PrcRow",
    "UnknownForceError",
    "competition_rank",
    "create_views",
    "force_populations",
    "load_peer_groups",
    "offence_rates",
    "peer_groups_by_density",
    "peer_groups_yaml",
    "population_to_parquet",
    "prc_force_slug",
    "prc_to_parquet",
    "quarter_end_month",
    "read_prc",
    "write_peer_groups_yaml",
]
