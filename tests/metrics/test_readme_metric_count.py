"""The README states how many metrics the catalogue holds: the figure must not drift."""

from __future__ import annotations

import re
from pathlib import Path

from vawg.metrics.catalogue import read_catalogue

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_gives_the_catalogue_s_number_of_metrics():
    stated = re.findall(r"each month, (\d+) metrics", README.read_text(encoding="utf-8"))
    held = sum(len(definitions) for _, definitions in read_catalogue().values())
    assert stated == [str(held)], "update the README's metric count to the catalogue's"
