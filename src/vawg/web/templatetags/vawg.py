"""Template filters for the tracker: RAG tags, figures formatted by unit, signal words.

>>> metric_value(12345.0, "count")
'12,345'
>>> metric_value(45.67, "percent")
'45.7%'
>>> metric_change(-3.0, "count") == "\u22123"
True
>>> metric_change(1.24, "percent")
'+1.2 points'
>>> signal_label("special_cause_improvement")
'Special cause improvement'
>>> byte_size(200 * 1024 * 1024), byte_size(1536 * 1024), byte_size(512)
('200\xa0MB', '1.5\xa0MB', '512\xa0bytes')
>>> excerpt("Terms of reference agreed with the standards department.", 30)
'Terms of reference agreed…'
>>> excerpt("Terms of reference agreed. With the standards department.", 27)
'Terms of reference agreed…'
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from vawg.imports.selectors import holds_generated_data as _holds_generated_data
from vawg.strategy.models import DeliveryRag, ReviewState, Status
from vawg.strategy.selectors import default_force
from vawg.web.forms import month_label as _month_label

register = template.Library()

RAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "grey": "Not rated",
}

SIGNAL_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause improvement",
    "special_cause_concern": "Special cause concern",
    "special_cause_neither_high": "Special cause (high)",
    "special_cause_neither_low": "Special cause (low)",
    "no_data": "No data",
    "consistently_passing": "Consistently passing",
    "consistently_failing": "Consistently failing",
    "hit_and_miss": "Hit and miss",
    "no_target": "No target",
    "not_applicable": "Not applicable",
    "too_few_points": "Too few points",
}

FIELD_LABELS = {
    "owner_role": "Owner",
    "status": "Status",
    "rag": "Delivery RAG",
    "due": "Due date",
}

MINUS = "\u2212"


_BYTE_UNITS = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))


@register.filter
def byte_size(value) -> str:
    """A size in bytes as people read it: "200 MB", "1.5 MB", "512 bytes".

    Django's filesizeformat writes "200.0 MB"; a limit people set is a whole number. As
    there, a no-break space keeps the number and its unit on one line.
    """
    size = int(value or 0)
    for unit, factor in _BYTE_UNITS:
        if size >= factor:
            amount = f"{size / factor:.1f}".removesuffix(".0")
            return f"{amount}\N{NO-BREAK SPACE}{unit}"
    return "1\N{NO-BREAK SPACE}byte" if size == 1 else f"{size:,}\N{NO-BREAK SPACE}bytes"


#: How much of an update a list shows before it links to the whole text.
EXCERPT_CHARACTERS = 300


@register.filter
def excerpt(text, limit: int = EXCERPT_CHARACTERS) -> str:
    """The start of ``text``, at most ``limit`` characters, cut at a word and ended "…".

    A text that fits comes back whole. One long run without spaces (pasted links, tables) is
    cut at ``limit`` itself rather than left whole.
    """
    text = str(text or "")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # room for the ellipsis
    if not text[limit - 1].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
        # A space in the first half would throw away most of the room: cut the word instead.
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(" \n\t,;:.-–—") + "…"


@register.filter
def rag_tag(value) -> str:
    """A GOV.UK tag for a RAG value ("red", "amber", "green", "grey"), with its word."""
    key = str(value or "grey").lower()
    if key not in RAG_LABELS:
        key = "grey"
    return format_html(
        '<strong class="govuk-tag vawg-rag vawg-rag--{}">{}</strong>', key, RAG_LABELS[key]
    )


@register.filter
def status_label(value) -> str:
    """The words for a response or milestone status code."""
    try:
        return Status(value).label
    except ValueError:
        return str(value or "")


@register.filter
def review_label(value) -> str:
    try:
        return ReviewState(value).label
    except ValueError:
        return str(value or "")


@register.filter
def rag_label(value) -> str:
    try:
        return DeliveryRag(value).label
    except ValueError:
        return RAG_LABELS.get(str(value), str(value or ""))


@register.filter
def signal_label(value) -> str:
    """Words for a variation or assurance code, e.g. ``common_cause`` → "Common cause"."""
    key = str(value or "")
    if key in SIGNAL_LABELS:
        return SIGNAL_LABELS[key]
    return key.replace("_", " ").capitalize()


@register.filter
def field_label(value) -> str:
    return FIELD_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


@register.filter
def change_value(value, field) -> str:
    """A value as stored in a ResponseChange, in words for its field."""
    if value in (None, ""):
        return "(none)"
    if field == "status":
        return status_label(value)
    if field == "rag":
        return rag_label(value)
    return str(value)


def _number(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}"
    return (MINUS + text) if value < 0 and float(text.replace(",", "")) != 0 else text


@register.filter
def metric_value(value, unit) -> str:
    """A figure as its unit reads: counts whole with separators, percentages (held as 0 to
    100) to 1 decimal."""
    if value is None or value == "":
        return "No data"
    value = float(value)
    if unit == "percent":
        return f"{_number(value, 1)}%"
    if unit == "count":
        return _number(value, 0)
    if unit == "minutes":
        return f"{_number(value, 0)} min"
    return _number(value, 1)


@register.filter
def metric_change(value, unit) -> str:
    """A change on the previous month with its sign; percentages change in points."""
    if value is None or value == "":
        return "No comparison"
    value = float(value)
    if unit == "percent":
        shown, body = value, f"{abs(value):,.1f}"
        suffix = " points"
    elif unit == "count":
        shown, body, suffix = value, f"{abs(value):,.0f}", ""
    elif unit == "minutes":
        shown, body, suffix = value, f"{abs(value):,.0f}", " min"
    else:
        shown, body, suffix = value, f"{abs(value):,.1f}", ""
    if float(body.replace(",", "")) == 0:
        return f"0{suffix}" if unit != "percent" else "0.0 points"
    return f"{'+' if shown > 0 else MINUS}{body}{suffix}"


@register.filter
def plain_number(value) -> str:
    """A numerator or denominator: whole numbers with separators, else 1 decimal."""
    if value is None or value == "":
        return ""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


RESTATED_FIELD_LABELS = {
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "rag": "RAG",
}


@register.filter
def restated_field(value) -> str:
    """The name of a restated field as a reader knows it (``rag`` → "RAG")."""
    return RESTATED_FIELD_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


@register.filter
def restated_figure(value, restatement) -> str:
    """One side of a restatement as the reckoner's main table shows that figure.

    >>> from vawg.metrics.publication import Restatement
    >>> rate = Restatement("m", "Rate", "value", 35.41076487252125, 35.140562248995984, "percent")
    >>> restated_figure(rate.published, rate), restated_figure(rate.current, rate)
    ('35.4%', '35.1%')
    >>> count = Restatement("m", "Crimes", "numerator", 1269.0, 890.0, "count")
    >>> restated_figure(count.published, count), restated_figure(None, count)
    ('1,269', '–')
    >>> restated_figure("red", Restatement("m", "Rate", "rag", "red", "amber"))
    'Red'
    """
    if value is None or value == "":
        return "–"
    if restatement.field == "rag":
        return RAG_LABELS.get(str(value), str(value))
    if restatement.field == "value":
        return metric_value(value, restatement.unit)
    return plain_number(value)


@register.filter
def month_label(value) -> str:
    return _month_label(str(value)) if value else ""


@register.filter
def in_list(value, items) -> bool:
    return value in (items or [])


@register.filter
def part_value(bound_field, index) -> str:
    """One of the day/month/year strings of a GOV.UK date field's value."""
    value = bound_field.value()
    if isinstance(value, tuple | list) and len(value) == 3:
        return value[int(index)] or ""
    return ""


#: Which pages belong to which navigation section; the first is the section's own page.
NAV_SECTIONS = {
    "home": ("home",),
    "framework": ("framework", "action", "action-add-update", "action-change-response"),
    "projects": ("projects", "project"),
    "reckoner": ("reckoner", "metric"),
    "governance": ("governance", "governance-owed", "governance-owed-mine"),
    "reports": ("report-paper", "report-returns", "report-return"),
    "imports": ("imports", "import-job"),
    "offenders": ("offenders",),
}


@register.simple_tag(takes_context=True)
def nav_state(context, section: str) -> str:
    """``"page"`` on the section's own page, ``"true"`` on a page within it, else ``""``."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None)
    pages = NAV_SECTIONS.get(section, ())
    if not name or name not in pages:
        return ""
    return "page" if name == pages[0] else "true"


@register.simple_tag(takes_context=True)
def holds_generated_data(context) -> bool:
    """Whether the force the page shows holds generated records (references ``GEN-``).

    Decided by what was imported, so a force that imports only its own extracts is never
    labelled "demo", and one that still holds generated extracts always is.
    """
    force = context.get("force") or default_force()
    return _holds_generated_data(force.slug) if force is not None else False


@register.filter
def bound(form, name):
    """The bound field ``name`` of ``form`` (templates cannot index by a variable)."""
    return form[name]


@register.filter
def date_parts_in_error(form, name) -> list[str]:
    """The inputs (day, month, year) of a GOV.UK date field to highlight."""
    return form.date_error_parts(name)


@register.filter
def web_link(url) -> str:
    """The URL if it is a plain web link (http or https), else "": never a script URL."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def milestones_done(project) -> int:
    """How many of a project's (prefetched) milestones are complete or embedded."""
    return sum(
        1 for m in project.milestones.all() if m.status in (Status.COMPLETE, Status.EMBEDDED)
    )


POLARITY_WORDS = {
    "up": "Higher is better",
    "down": "Lower is better",
    "neither": "Neither direction is better",
}


@register.filter
def polarity_words(value) -> str:
    return POLARITY_WORDS.get(str(value), str(value or ""))


FLAG_WORDS = {
    "beyond_limit": "beyond a process limit",
    "shift": "run of 7 on one side",
    "trend": "trend of 7",
    "two_of_three": "2 of 3 near a limit",
}


@register.filter
def flag_words(value) -> str:
    """Words for a special-cause flag of the ratings module."""
    return FLAG_WORDS.get(str(value), str(value))


# Making Data Count style icons: colour says improvement (blue), concern (orange), neither
# (purple) or common cause (grey); the letter says high or low, pass, fail or hit and miss.
_VARIATION_ICONS = {
    "special_cause_improvement": ("#1d70b8", "I"),
    "special_cause_concern": ("#f47738", "C"),
    "special_cause_neither_high": ("#4c2c92", "H"),
    "special_cause_neither_low": ("#4c2c92", "L"),
    "common_cause": ("#505a5f", "~"),
}
_ASSURANCE_ICONS = {
    "consistently_passing": ("#1d70b8", "P"),
    "consistently_failing": ("#f47738", "F"),
    "hit_and_miss": ("#505a5f", "?"),
}


def _icon(colour: str, letter: str, label: str) -> str:
    return format_html(
        '<svg class="vawg-icon" width="28" height="28" viewBox="0 0 28 28" role="img" '
        'aria-label="{}"><title>{}</title><circle cx="14" cy="14" r="12" fill="white" '
        'stroke="{}" stroke-width="3"/><text x="14" y="19" text-anchor="middle" '
        'font-size="14" font-weight="bold" fill="{}">{}</text></svg>',
        label,
        label,
        colour,
        colour,
        letter,
    )


@register.filter
def variation_icon(value) -> str:
    """The variation signal as an icon with its words for screen readers ("" if none)."""
    key = str(value)
    if key not in _VARIATION_ICONS:
        return ""
    colour, letter = _VARIATION_ICONS[key]
    return _icon(colour, letter, f"Variation: {signal_label(key)}")


@register.filter
def assurance_icon(value) -> str:
    """The assurance signal as an icon with its words for screen readers ("" if none)."""
    key = str(value)
    if key not in _ASSURANCE_ICONS:
        return ""
    colour, letter = _ASSURANCE_ICONS[key]
    return _icon(colour, letter, f"Assurance: {signal_label(key)}")
