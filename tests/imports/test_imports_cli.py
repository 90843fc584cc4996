"""``vawg import police-uk``: progress, summary, and errors without tracebacks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from imports_testdata import STREET_2024, edited_copy, need

from vawg.cli.import_command import import_group
from vawg.imports.models import ImportedFile, ImportRun

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_prints_a_summary():
    need(STREET_2024)
    result = CliRunner().invoke(import_group, ["police-uk", str(STREET_2024)])
    assert result.exit_code == 0, result.output
    assert "files imported             12" in result.stdout
    assert "rows accepted          83,021" in result.stdout

    again = CliRunner().invoke(import_group, ["police-uk", str(STREET_2024)])
    assert again.exit_code == 0
    assert "files unchanged            12" in again.stdout


def test_bad_file_exits_1_with_the_message(tmp_path):
    need(STREET_2024)

    def rename(lines):
        lines[0] = lines[0].replace(b"Crime type", b"Crime category")
        return lines

    bad = edited_copy(STREET_2024 / "2024-01-cambridgeshire-street.csv", tmp_path, rename)
    result = CliRunner().invoke(import_group, ["police-uk", str(bad)])

    assert result.exit_code == 1
    assert "2024-01-cambridgeshire-street.csv, row 1, column Crime type" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert "Traceback" not in result.output
    assert ImportedFile.objects.count() == 0
    assert ImportRun.objects.get().status == "failed"


def test_missing_path_exits_1(tmp_path):
    result = CliRunner().invoke(import_group, ["police-uk", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr
