"""The 43 territorial police forces of England and Wales, and how sources name them.

Slugs are data.police.uk's; the Home Office PRC table, PoliceforceLSOA.csv and the local
authority tables below each have their own names, all mapped here to the one slug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vawg.errors import VawgError

__all__ = [
    "ENGLISH_LA_FORCE_FALLBACK",
    "FORCES",
    "FORCE_SLUGS",
    "NON_TERRITORIAL_PRC_NAMES",
    "WELSH_LA_FORCE",
    "Force",
    "UnknownForceError",
    "prc_force_slug",
]


@dataclass(frozen=True)
class Force:
    """One territorial police force of England and Wales.

    ``slug`` is the data.police.uk force id (the key used everywhere in the tracker),
    ``name`` the force's own name and ``prc_name`` how the Home Office PRC table names it.
    """

    slug: str
    name: str
    prc_name: str
    country: str


# Slugs as data.police.uk's /api/forces lists them (checked against a public copy of that list:
# the only spellings that are not the county name lower-cased are "metropolitan",
# "city-of-london", "avon-and-somerset", "devon-and-cornwall" and "dyfed-powys"). The PRC names
# are exactly those of prc-pfa-201718_new.csv.
FORCES: tuple[Force, ...] = (
    Force("avon-and-somerset", "Avon and Somerset Constabulary", "Avon and Somerset", "England"),
    Force("bedfordshire", "Bedfordshire Police", "Bedfordshire", "England"),
    Force("cambridgeshire", "Cambridgeshire Constabulary", "Cambridgeshire", "England"),
    Force("cheshire", "Cheshire Constabulary", "Cheshire", "England"),
    Force("city-of-london", "City of London Police", "London, City of", "England"),
    Force("cleveland", "Cleveland Police", "Cleveland", "England"),
    Force("cumbria", "Cumbria Constabulary", "Cumbria", "England"),
    Force("derbyshire", "Derbyshire Constabulary", "Derbyshire", "England"),
    Force("devon-and-cornwall", "Devon and Cornwall Police", "Devon and Cornwall", "England"),
    Force("dorset", "Dorset Police", "Dorset", "England"),
    Force("durham", "Durham Constabulary", "Durham", "England"),
    Force("dyfed-powys", "Dyfed-Powys Police", "Dyfed-Powys", "Wales"),
    Force("essex", "Essex Police", "Essex", "England"),
    Force("gloucestershire", "Gloucestershire Constabulary", "Gloucestershire", "England"),
    Force("greater-manchester", "Greater Manchester Police", "Greater Manchester", "England"),
    Force("gwent", "Gwent Police", "Gwent", "Wales"),
    Force("hampshire", "Hampshire Constabulary", "Hampshire", "England"),
    Force("hertfordshire", "Hertfordshire Constabulary", "Hertfordshire", "England"),
    Force("humberside", "Humberside Police", "Humberside", "England"),
    Force("kent", "Kent Police", "Kent", "England"),
    Force("lancashire", "Lancashire Constabulary", "Lancashire", "England"),
    Force("leicestershire", "Leicestershire Police", "Leicestershire", "England"),
    Force("lincolnshire", "Lincolnshire Police", "Lincolnshire", "England"),
    Force("merseyside", "Merseyside Police", "Merseyside", "England"),
    Force("metropolitan", "Metropolitan Police Service", "Metropolitan Police", "England"),
    Force("norfolk", "Norfolk Constabulary", "Norfolk", "England"),
    Force("north-wales", "North Wales Police", "North Wales", "Wales"),
    Force("north-yorkshire", "North Yorkshire Police", "North Yorkshire", "England"),
    Force("northamptonshire", "Northamptonshire Police", "Northamptonshire", "England"),
    Force("northumbria", "Northumbria Police", "Northumbria", "England"),
    Force("nottinghamshire", "Nottinghamshire Police", "Nottinghamshire", "England"),
    Force("south-wales", "South Wales Police", "South Wales", "Wales"),
    Force("south-yorkshire", "South Yorkshire Police", "South Yorkshire", "England"),
    Force("staffordshire", "Staffordshire Police", "Staffordshire", "England"),
    Force("suffolk", "Suffolk Constabulary", "Suffolk", "England"),
    Force("surrey", "Surrey Police", "Surrey", "England"),
    Force("sussex", "Sussex Police", "Sussex", "England"),
    Force("thames-valley", "Thames Valley Police", "Thames Valley", "England"),
    Force("warwickshire", "Warwickshire Police", "Warwickshire", "England"),
    Force("west-mercia", "West Mercia Police", "West Mercia", "England"),
    Force("west-midlands", "West Midlands Police", "West Midlands", "England"),
    Force("west-yorkshire", "West Yorkshire Police", "West Yorkshire", "England"),
    Force("wiltshire", "Wiltshire Police", "Wiltshire", "England"),
)
FORCE_SLUGS: tuple[str, ...] = tuple(f.slug for f in FORCES)

# Bodies in the PRC table that are not territorial forces: no resident population, never
# ranked, but kept in the Parquet output so its totals reconcile with the published table.
# "btp" is data.police.uk's own slug; the fraud bodies have none there, so these are ours.
NON_TERRITORIAL_PRC_NAMES: Mapping[str, str] = {
    "British Transport Police": "btp",
    "Action Fraud": "action-fraud",
    "CIFAS": "cifas",
    "UK Finance": "uk-finance",
    "Financial Fraud Action UK": "financial-fraud-action-uk",
}

_PRC_NAME_TO_SLUG: dict[str, str] = {f.prc_name: f.slug for f in FORCES}
_PRC_NAME_TO_SLUG.update(NON_TERRITORIAL_PRC_NAMES)

# PoliceforceLSOA.csv names forces as the PRC table does, except the City of London.
_LOOKUP_NAME_TO_SLUG: dict[str, str] = {f.prc_name: f.slug for f in FORCES}
_LOOKUP_NAME_TO_SLUG["City of London"] = "city-of-london"


class UnknownForceError(VawgError, ValueError):
    """A force name that is not one of the names the PRC table is known to use."""


def prc_force_slug(name: str) -> str:
    """The tracker's slug for a force as the Home Office PRC table names it.

    >>> prc_force_slug("London, City of")
    'city-of-london'
    >>> prc_force_slug("Metropolitan Police")
    'metropolitan'
    >>> prc_force_slug("British Transport Police")
    'btp'
    >>> prc_force_slug("Cambs")
    Traceback (most recent call last):
    ...
    vawg.analytics.home_office.forces.UnknownForceError: unknown force name 'Cambs' ...
    """
    try:
        return _PRC_NAME_TO_SLUG[name]
    except KeyError:
        raise UnknownForceError(
            f"unknown force name {name!r} (expected a Home Office PRC force name such as "
            f"'Cambridgeshire', 'London, City of' or 'Metropolitan Police')"
        ) from None


# The 22 Welsh unitary authorities (2011 codes) and their police force. Wales is absent from
# PoliceforceLSOA.csv, so every W01 LSOA takes the force of its authority from this table.
WELSH_LA_FORCE: Mapping[str, tuple[str, str]] = {
    "W06000001": ("Isle of Anglesey", "north-wales"),
    "W06000002": ("Gwynedd", "north-wales"),
    "W06000003": ("Conwy", "north-wales"),
    "W06000004": ("Denbighshire", "north-wales"),
    "W06000005": ("Flintshire", "north-wales"),
    "W06000006": ("Wrexham", "north-wales"),
    "W06000008": ("Ceredigion", "dyfed-powys"),
    "W06000009": ("Pembrokeshire", "dyfed-powys"),
    "W06000010": ("Carmarthenshire", "dyfed-powys"),
    "W06000023": ("Powys", "dyfed-powys"),
    "W06000011": ("Swansea", "south-wales"),
    "W06000012": ("Neath Port Talbot", "south-wales"),
    "W06000013": ("Bridgend", "south-wales"),
    "W06000014": ("The Vale of Glamorgan", "south-wales"),
    "W06000015": ("Cardiff", "south-wales"),
    "W06000016": ("Rhondda Cynon Taf", "south-wales"),
    "W06000024": ("Merthyr Tydfil", "south-wales"),
    "W06000018": ("Caerphilly", "gwent"),
    "W06000019": ("Blaenau Gwent", "gwent"),
    "W06000020": ("Torfaen", "gwent"),
    "W06000021": ("Monmouthshire", "gwent"),
    "W06000022": ("Newport", "gwent"),
}

# English districts (2011 codes) where PoliceforceLSOA.csv gives no force to *any* LSOA, so
# the force cannot be derived from the district's other LSOAs. Each is wholly inside one force
# area (police force areas are built from whole local authorities).
ENGLISH_LA_FORCE_FALLBACK: Mapping[str, tuple[str, str]] = {
    "E06000048": ("Northumberland", "northumbria"),
    "E08000020": ("Gateshead", "northumbria"),
    "E07000163": ("Craven", "north-yorkshire"),
    "E07000164": ("Hambleton", "north-yorkshire"),
    "E07000165": ("Harrogate", "north-yorkshire"),
    "E07000166": ("Richmondshire", "north-yorkshire"),
    "E07000167": ("Ryedale", "north-yorkshire"),
    "E07000168": ("Scarborough", "north-yorkshire"),
    "E07000169": ("Selby", "north-yorkshire"),
    "E07000151": ("Daventry", "northamptonshire"),
    "E07000155": ("South Northamptonshire", "northamptonshire"),
    "E07000172": ("Broxtowe", "nottinghamshire"),
    "E07000173": ("Gedling", "nottinghamshire"),
    "E07000176": ("Rushcliffe", "nottinghamshire"),
    "E07000221": ("Stratford-on-Avon", "warwickshire"),
    "E07000222": ("Warwick", "warwickshire"),
    "E07000234": ("Bromsgrove", "west-mercia"),
    "E07000235": ("Malvern Hills", "west-mercia"),
    "E07000236": ("Redditch", "west-mercia"),
    "E07000237": ("Worcester", "west-mercia"),
    "E07000238": ("Wychavon", "west-mercia"),
    "E07000239": ("Wyre Forest", "west-mercia"),
    "E07000097": ("East Hertfordshire", "hertfordshire"),
    "E07000100": ("St Albans", "hertfordshire"),
    "E07000101": ("Stevenage", "hertfordshire"),
    "E07000104": ("Welwyn Hatfield", "hertfordshire"),
    "E07000200": ("Babergh", "suffolk"),
    "E07000201": ("Forest Heath", "suffolk"),
    "E07000203": ("Mid Suffolk", "suffolk"),
    "E07000204": ("St Edmundsbury", "suffolk"),
    "E07000084": ("Basingstoke and Deane", "hampshire"),
    "E07000089": ("Hart", "hampshire"),
    "E07000092": ("Rushmoor", "hampshire"),
    "E07000107": ("Dartford", "kent"),
    "E07000109": ("Gravesham", "kent"),
    "E07000040": ("East Devon", "devon-and-cornwall"),
    "E07000042": ("Mid Devon", "devon-and-cornwall"),
    "E07000043": ("North Devon", "devon-and-cornwall"),
    "E07000044": ("South Hams", "devon-and-cornwall"),
    "E07000045": ("Teignbridge", "devon-and-cornwall"),
    "E07000046": ("Torridge", "devon-and-cornwall"),
    "E07000047": ("West Devon", "devon-and-cornwall"),
    "E07000048": ("Christchurch", "dorset"),
    "E07000049": ("East Dorset", "dorset"),
    "E07000050": ("North Dorset", "dorset"),
    "E07000051": ("Purbeck", "dorset"),
    "E07000052": ("West Dorset", "dorset"),
    "E07000053": ("Weymouth and Portland", "dorset"),
    "E07000187": ("Mendip", "avon-and-somerset"),
    "E07000188": ("Sedgemoor", "avon-and-somerset"),
    "E07000189": ("South Somerset", "avon-and-somerset"),
    "E07000190": ("Taunton Deane", "avon-and-somerset"),
    "E07000191": ("West Somerset", "avon-and-somerset"),
}

# London: the City of London local authority is the City of London Police's area; the other
# 32 boroughs (E09) are the Metropolitan Police's. Applied by authority, ahead of the lookup.
_CITY_OF_LONDON_LA = "E09000001"
_LONDON_LA_PREFIX = "E09"
