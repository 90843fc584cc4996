"""Long text with no spaces (a pasted URL or reference) wraps instead of widening the page:
every place that shows narrative or evidence holds it in an element the stylesheet wraps."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.urls import reverse

from vawg.strategy.models import Evidence, Update

RUN = "LONGRUN" + "x" * 2993  # 3,000 characters, no space
SCSS = Path(__file__).parents[2] / "src" / "vawg" / "web" / "scss" / "_layout.scss"


def _wrapping_classes() -> set[str]:
    """The classes the stylesheet gives ``overflow-wrap: anywhere``."""
    text = SCSS.read_text(encoding="utf-8")
    found = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        if "overflow-wrap: anywhere" in body:
            found |= set(re.findall(r"\.([a-z][\w-]*)", selectors))
    return found


def _classes_around(html: str, needle: str) -> set[str]:
    """The classes of the element that directly holds ``needle``."""
    before = html[: html.index(needle)]
    opening = before[before.rindex("<") :]
    match = re.search(r'class="([^"]*)"', opening)
    return set(match.group(1).split()) if match else set()


def test_the_stylesheet_wraps_narrative():
    assert {"vawg-narrative", "vawg-wrap"} <= _wrapping_classes()


def test_long_runs_sit_in_wrapping_elements_on_the_home_and_action_pages(signed_in, world):
    response = world.responses["1.1"]
    Update.objects.create(
        response=response,
        as_at=dt.date(2025, 1, 20),  # the latest, so first in "Latest updates"
        text=RUN,
        author_role="Head of PVP",
    )
    # 300 characters, the most a title holds, with no space.
    Evidence.objects.create(response=response, title="E" + "v" * 299, url="https://x.invalid/")
    wrapping = _wrapping_classes()

    home = signed_in.get(reverse("home")).content.decode()
    assert _classes_around(home, RUN[:190]) & wrapping  # truncated to 200 characters there

    action = signed_in.get(reverse("action", args=[response.action.code])).content.decode()
    assert _classes_around(action, RUN) & wrapping
    evidence = action[: action.index("E" + "v" * 299)]
    assert 'class="govuk-list vawg-wrap"' in evidence[evidence.rindex("<ul") :]
