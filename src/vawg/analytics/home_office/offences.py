"""The offence groups whose counts and rates are compared, and the codes each one holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "OFFENCE_GROUPS",
    "OffenceGroup",
]


@dataclass(frozen=True)
class OffenceGroup:
    """A set of Home Office offence codes counted together.

    ``subgroups`` are the PRC ``Offence_Subgroup`` values selected; ``codes`` are every
    ``Offence_Code`` those subgroups must consist of (checked when reading, both ways).
    """

    key: str
    title: str
    subgroups: tuple[str, ...]
    codes: frozenset[str]


# Codes as in the 2017/18 PRC table and the package author's CrimeCatMappings.csv (which agree).
# All four groups sit in data.police.uk's "Violence and sexual offences" category.
_RAPE_CODES = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})  # female/male, by age
_OTHER_SEXUAL_CODES = frozenset(
    {
        "17A",  # sexual assault on a male aged 13 and over
        "17B",  # sexual assault on a male child under 13
        "20A",  # sexual assault on a female aged 13 and over
        "20B",  # sexual assault on a female child under 13
        "21",  # sexual activity involving a child under 13
        "22A",  # causing sexual activity without consent
        "22B",  # sexual activity involving child under 16
        "23",  # incest or familial sexual offences
        "70",  # sexual activity etc with a person with a mental disorder
        "71",  # abuse of children through sexual exploitation
        "72",  # trafficking for sexual exploitation
        "73",  # abuse of position of trust of a sexual nature
        "88A",  # sexual grooming
        "88C",  # other miscellaneous sexual offences
        "88D",  # unnatural sexual offences
        "88E",  # exposure and voyeurism
    }
)
# Harassment, racially or religiously aggravated harassment, stalking, malicious
# communications: the whole Home Office subgroup. Only some of it is VAWG (no victim sex or
# domestic abuse flag here); the subgroup is kept whole so it matches published figures.
_STALKING_CODES = frozenset({"8L", "8M", "8Q", "8R"})

OFFENCE_GROUPS: Mapping[str, OffenceGroup] = {
    "rape": OffenceGroup("rape", "Rape", ("Rape offences",), _RAPE_CODES),
    "other-sexual": OffenceGroup(
        "other-sexual", "Other sexual offences", ("Other sexual offences",), _OTHER_SEXUAL_CODES
    ),
    # Rape plus other sexual offences (= the Home Office offence group "Sexual offences"):
    # what the force strategy's "serious sexual offences and rape" project is about.
    "sexual-offences": OffenceGroup(
        "sexual-offences",
        "All sexual offences",
        ("Rape offences", "Other sexual offences"),
        _RAPE_CODES | _OTHER_SEXUAL_CODES,
    ),
    "stalking-harassment": OffenceGroup(
        "stalking-harassment",
        "Stalking and harassment",
        ("Stalking and harassment",),
        _STALKING_CODES,
    ),
}
