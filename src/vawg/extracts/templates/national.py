"""National comparison templates: serious sexual offence outcomes of every force.

The Home Office publishes outcomes by force, offence and outcome type, but no open source holds
them per month for 2021-22, and a force's national ranking (as board papers quote it) comes
from those tables or from a data request. This template takes the counts a ranking needs, one
row per force, month and offence subgroup, so the tracker can compute the rank itself.
"""

from __future__ import annotations

from vawg.analytics.home_office.forces import FORCE_SLUGS
from vawg.extracts.templates.model import (
    _RECORD_ID,
    _RECORD_ID_HINT,
    PROSECUTION_IMPOSSIBLE_CODES,
    AtMost,
    Column,
    Template,
)

_IMPOSSIBLE = ", ".join(str(c) for c in PROSECUTION_IMPOSSIBLE_CODES[:-1]) + (
    f" and {PROSECUTION_IMPOSSIBLE_CODES[-1]}"
)

NATIONAL_OUTCOMES = Template(
    slug="national-outcomes",
    title="National serious sexual offence outcomes",
    purpose=(
        "Every territorial force's serious sexual offences finalised in each month, with how "
        "many had an outcome where prosecution was possible and how many of those were "
        "charged, so the force's prosecution-possible rate can be ranked nationally over a "
        "rolling 12 months."
    ),
    one_row=(
        "One force, one month and one offence subgroup (rape, or other sexual offences), as "
        "the Home Office outcomes data tables count it."
    ),
    columns=(
        Column(
            "release_ref",
            "text",
            "The reference of the release the figures come from (the Home Office publication "
            "or the data request), so a later release can be told from an earlier one.",
            "HO-OUTCOMES-2022-03",
            pattern=_RECORD_ID,
            pattern_hint=_RECORD_ID_HINT,
        ),
        Column(
            "force",
            "choice",
            "The force the row describes, by its data.police.uk id (the force ids the tracker "
            "uses everywhere); one of the 43 territorial forces of England and Wales.",
            "cambridgeshire",
            choices=FORCE_SLUGS,
        ),
        Column("month", "month", "The month the outcomes were assigned in.", "2022-01"),
        Column(
            "offence_group",
            "choice",
            "The Home Office offence subgroup; serious sexual offences are the two together.",
            "rape",
            choices=("rape", "other sexual offences"),
        ),
        Column(
            "finalised",
            "integer",
            "Crimes of the subgroup given a final outcome (types 1 to 23) in the month.",
            "96",
            minimum=0,
        ),
        Column(
            "prosecution_possible",
            "integer",
            "Of those, the crimes whose outcome left a prosecution possible: any outcome except "
            f"{_IMPOSSIBLE} (the base of the prosecution-possible rate).",
            "81",
            minimum=0,
        ),
        Column(
            "charged",
            "integer",
            "Of those, the crimes with outcome 1 (charged or summonsed).",
            "7",
            minimum=0,
        ),
    ),
    key=("force", "month", "offence_group"),
    month_from=None,
    month_rule="the month column",
    rules=(
        AtMost("prosecution_possible", limit="finalised"),
        AtMost("charged", limit="prosecution_possible"),
    ),
    notes=(
        "The prosecution-possible rate is charged / prosecution_possible, the tracker's local "
        "definition (see the finalised-crimes template), so the force's own figure and the "
        "national comparison agree on what is counted.",
        "Counts are of outcomes assigned in the month, whatever month the crime was recorded "
        "in (the Home Office's second basis).",
        "Rows name their own force: the file covers every force, and importing it as one "
        "force does not file the other forces' rows under that force.",
        "A ranking needs every force: a force-month missing from the file leaves that force "
        "out of any 12-month window containing the month.",
    ),
    row_force=True,
)
