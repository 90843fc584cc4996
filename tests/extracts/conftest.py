"""Shared fixtures: the generated demo extracts, written once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from vawg.demo.generator import generate
from vawg.extracts import TEMPLATES, validate_file


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """slug -> path of each generated CSV (default seed and months)."""
    return generate(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="session")
def validated(generated: dict[str, Path]) -> dict[str, list[dict]]:
    """slug -> validated rows of each generated CSV."""
    return {slug: validate_file(generated[slug], TEMPLATES[slug]) for slug in TEMPLATES}
