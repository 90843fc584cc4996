"""The committed empty templates and documentation pages match what the templates generate."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from vawg.extracts import TEMPLATES, validate_file
from vawg.extracts.make_template_files import DOCS_DIR, FILES_DIR, write_all

STALE = "out of date: run python -m vawg.extracts.make_template_files and commit the output"


def test_committed_files_are_up_to_date(tmp_path: Path):
    write_all(tmp_path / "files", tmp_path / "docs")
    for template in TEMPLATES.values():
        for name in (f"{template.slug}.csv",):
            fresh = (tmp_path / "files" / name).read_text(encoding="utf-8")
            assert (FILES_DIR / name).read_text(encoding="utf-8") == fresh, f"{name} {STALE}"
        for sheet in ("Data", "About"):
            fresh_rows = list(
                load_workbook(tmp_path / "files" / f"{template.slug}.xlsx")[sheet].values
            )
            committed = list(load_workbook(FILES_DIR / f"{template.slug}.xlsx")[sheet].values)
            assert committed == fresh_rows, f"{template.slug}.xlsx {STALE}"
    for page in (tmp_path / "docs").glob("*.md"):
        committed = DOCS_DIR / page.name
        assert committed.exists(), f"docs/templates/{page.name} {STALE}"
        assert committed.read_text(encoding="utf-8") == page.read_text(encoding="utf-8"), (
            f"docs/templates/{page.name} {STALE}"
        )


def test_empty_templates_validate_with_no_rows():
    for template in TEMPLATES.values():
        assert validate_file(FILES_DIR / f"{template.slug}.csv") == []
        assert validate_file(FILES_DIR / f"{template.slug}.xlsx") == []


def test_xlsx_about_sheet_lists_every_column():
    for template in TEMPLATES.values():
        about = load_workbook(FILES_DIR / f"{template.slug}.xlsx")["About"]
        first_cells = {row[0] for row in about.values}
        assert set(template.headers) <= first_cells, template.slug


def test_one_page_per_template():
    pages = {p.stem for p in DOCS_DIR.glob("*.md")} - {"README"}
    assert pages == set(TEMPLATES)
    for slug in TEMPLATES:
        text = (DOCS_DIR / f"{slug}.md").read_text(encoding="utf-8")
        for heading in (
            "## Columns",
            "## Example row",
            "## Feeds these metrics",
            "## Data protection",
        ):
            assert heading in text, (slug, heading)
