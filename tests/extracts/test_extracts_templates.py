"""The template definitions themselves."""

from __future__ import annotations

import re

import pytest

from vawg.extracts import TEMPLATES, get_template
from vawg.extracts.templates import PROSECUTION_IMPOSSIBLE_CODES, Column, Template

REQUIRED_SLUGS = {
    "da-incidents",
    "da-crimes",
    "protective-orders",
    "clares-law",
    "marac-referrals",
    "missing-episodes",
    "finalised-crimes",
    "specialist-staff",
    "victim-feedback",
    "partner-referrals",
}


def test_the_required_templates_exist_with_dataset_names():
    assert set(TEMPLATES) >= REQUIRED_SLUGS
    for slug, template in TEMPLATES.items():
        assert template.dataset == slug.replace("-", "_")
        assert get_template(template.dataset) is template


def test_no_column_invites_a_name_or_free_text():
    for template in TEMPLATES.values():
        for column in template.columns:
            assert not re.search(r"name|narrative|comment|address", column.name), column.name
            if column.type == "text":
                assert column.pattern, f"{template.slug}.{column.name} needs a pattern"


def test_person_references_are_pseudonymous():
    column = TEMPLATES["missing-episodes"].column("person_ref")
    assert re.fullmatch(column.pattern, "P-000123")
    assert re.fullmatch(column.pattern, "GEN-P-000123")
    assert not re.fullmatch(column.pattern, "Jane Doe")


def test_every_row_has_a_month():
    for template in TEMPLATES.values():
        names = [name for name, _ in template.parquet_columns()]
        assert "month" in names and names[-1] == "force"


def test_prosecution_possible_definition():
    assert PROSECUTION_IMPOSSIBLE_CODES == (5, 11, 12, 13, 17, 18, 19, 20)
    assert (
        "5, 11, 12, 13, 17, 18, 19 and 20"
        in TEMPLATES["da-crimes"].column("prosecution_possible").description
    )


def test_bad_definitions_are_refused():
    with pytest.raises(ValueError, match="choices go with the choice type"):
        Column("x", "text", "d", "e", choices=("a",))
    with pytest.raises(ValueError, match="unknown columns"):
        Template(
            "t",
            "T",
            "p",
            "r",
            (Column("month", "month", "d", "2022-01"),),
            key=("id",),
            month_from=None,
            month_rule="m",
        )
    with pytest.raises(KeyError, match="no extract template"):
        get_template("nope")
