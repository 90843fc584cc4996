"""``vawg reckoner --format table`` marks every missing figure with one sign, the en dash."""

from __future__ import annotations

from vawg.cli.reckoner_command import _table


def test_missing_value_numerator_and_denominator_are_all_en_dashes():
    rows = [
        {
            "id": "vso-recorded",
            "value": None,
            "unit": "count",
            "numerator": None,
            "denominator": None,
            "rag": "grey",
            "reason": "No data.",
        },
        {
            "id": "vso-unable-to-prosecute-share",
            "value": 68.69,
            "unit": "percent",
            "numerator": 136.0,
            "denominator": 198.0,
            "rag": "amber",
            "reason": "Common cause.",
        },
    ]
    lines = _table(rows, "Testshire Police", "2024-12").splitlines()
    assert lines[0] == "Ready reckoner: Testshire Police, 2024-12"
    missing, present = lines[4], lines[5]
    assert missing.split() == ["vso-recorded", "–", "–", "–", "grey", "No", "data."]
    assert present.split() == [
        "vso-unable-to-prosecute-share",
        "68.7%",
        "136",
        "198",
        "amber",
        "Common",
        "cause.",
    ]
    # The rule under the header is the only run of hyphens.
    assert set(lines[3]) == {"-"}
    assert all("-" not in cell for line in lines[4:] for cell in line.split()[1:4])
