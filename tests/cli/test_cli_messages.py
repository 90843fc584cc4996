"""Commands stop with a message, never a traceback, when an output cannot be written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from vawg.cli import main
from vawg.strategy.models import Force


@pytest.mark.django_db
def test_an_output_in_a_missing_folder_is_a_message(tmp_path):
    Force.objects.create(slug="kent", name="Kent Police")
    target = tmp_path / "no-such-folder" / "reckoner.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "reckoner",
            "--force",
            "kent",
            "--month",
            "2024-12",
            "--format",
            "xlsx",
            "--output",
            str(target),
        ],
    )
    assert result.exit_code == 1
    assert f"cannot write {target}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
