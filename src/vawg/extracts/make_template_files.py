"""Write the downloadable empty templates and the documentation page of every template.

Run ``python -m vawg.extracts.make_template_files`` after changing ``vawg.extracts.templates`` or a
catalogue file, and commit the output:

- ``src/vawg/extracts/template_files/<slug>.csv``: the header row only (UTF-8, no BOM);
- ``src/vawg/extracts/template_files/<slug>.xlsx``: a "Data" sheet with the header row (and
  drop-down lists for yes/no and choice columns) and an "About" sheet with the column rules;
- ``docs/templates/<slug>.md``: one page per template, and ``docs/templates/README.md``.

Everything is derived from :mod:`vawg.extracts.templates` and the metric catalogue, so the
files, the pages and the validator cannot disagree; a test regenerates them and compares.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from vawg.extracts.templates import TEMPLATES, Template
from vawg.metrics.catalogue import CATALOGUE_DIR, MetricDefinition, read_catalogue

__all__ = [
    "DOCS_DIR",
    "FILES_DIR",
    "csv_text",
    "doc_page",
    "index_page",
    "main",
    "metrics_using",
    "write_all",
    "write_xlsx",
]

FILES_DIR = Path(__file__).resolve().parent / "template_files"
DOCS_DIR = Path(__file__).resolve().parents[3] / "docs" / "templates"

# A fixed timestamp keeps the workbook metadata identical from one run to the next.
_FIXED_TIME = datetime(2022, 4, 1)  # workbook metadata holds naive times

_DATA_PROTECTION = (
    "Pseudonymous references only. No column takes a name, an address, a date of birth or "
    "free text, and nothing else may be added to the file. Record references are the force "
    "system's own; person references (where a template has one) are pseudonyms issued for "
    "the extract, and the key linking them to people stays in the force system. A file that "
    "has a column the template lacks is refused, so extra personal data cannot slip in."
)


def csv_text(template: Template) -> str:
    """The empty CSV template: the header row and a line break."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(template.headers)
    return buffer.getvalue()


def metrics_using(
    template: Template, catalogue: dict[str, tuple[str, list[MetricDefinition]]]
) -> list[tuple[str, MetricDefinition]]:
    """(group title, metric) of every catalogue metric whose query reads the template's view."""
    pattern = re.compile(rf"\b{re.escape(template.dataset)}\b")
    return [
        (title, metric)
        for title, definitions in catalogue.values()
        for metric in definitions
        if pattern.search(metric.query)
    ]


def _cell(text: str) -> str:
    """Markdown table cell text (pipes escaped)."""
    return text.replace("|", "\\|")


def doc_page(template: Template, catalogue: dict[str, tuple[str, list[MetricDefinition]]]) -> str:
    """The documentation page of one template, in Markdown."""
    lines = [
        f"# {template.title} (`{template.slug}`)",
        "",
        template.purpose,
        "",
        f"**One row is** {template.one_row[0].lower()}{template.one_row[1:]}",
        "",
        f"**File**: CSV (UTF-8, with or without a byte-order mark) or Excel `.xlsx` (first "
        f"sheet). Download the empty template: "
        f"[`{template.slug}.csv`](../../src/vawg/extracts/template_files/{template.slug}.csv) "
        f"or [`{template.slug}.xlsx`](../../src/vawg/extracts/template_files/"
        f"{template.slug}.xlsx). Name the file so it ends with `{template.slug}` (for example "
        f"`2022-03-{template.slug}.csv`). The header row holds every column below once, in "
        "any order, and nothing else.",
        "",
        f"**Imported as** dataset and DuckDB view `{template.dataset}`, "
        + (
            "keeping each row's own `force` (the file covers every force, whichever force "
            "imports it). "
            if template.row_force
            else "with a `force` column added at import. "
        )
        + f"**Month** of a row: {template.month_rule}.",
        "",
        "## Columns",
        "",
        "| column | type | required | rule | meaning |",
        "|---|---|---|---|---|",
    ]
    for column in template.columns:
        lines.append(
            f"| `{column.name}` | {column.type} | {'yes' if column.required else 'no'} | "
            f"{_cell(column.rule())} | {_cell(column.description)} |"
        )
    key = ", ".join(f"`{name}`" for name in template.key)
    lines += ["", "## Rules across columns", "", f"- Each {key} appears once in the file."]
    if "month" in template.headers and template.month_from:
        lines.append(f"- `month` is the month of `{template.month_from}`.")
    lines += [f"- {rule.describe()}." for rule in template.rules]
    lines += [
        "- Types: dates `YYYY-MM-DD`, months `YYYY-MM`, date-times `YYYY-MM-DD HH:MM` (local "
        "time); yes/no and choices in any letter case; surrounding spaces ignored. In Excel, "
        "real date cells and TRUE/FALSE are accepted too.",
        "",
        "## Example row",
        "",
        "```csv",
        csv_text(template).rstrip("\n"),
        _example_line(template),
        "```",
        "",
        "## Feeds these metrics",
        "",
    ]
    used = metrics_using(template, catalogue)
    if used:
        lines += [f"- `{m.code}`: {m.title} ({title})" for title, m in used]
    else:
        lines.append("- None yet: the extract is kept for returns and analysis.")
    if template.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in template.notes]
    lines += [
        "",
        "## Data protection",
        "",
        _DATA_PROTECTION,
        "",
        "## Demo data",
        "",
        (
            f"The demo's `{template.slug}.csv` is generated by `vawg.demo.generator`: every "
            "figure is invented, for every force, and each row's `release_ref` starts `GEN-`."
            if template.row_force
            else f"The demo force's `{template.slug}.csv` is generated by "
            "`vawg.demo.generator`: every record is invented and its references start `GEN-`."
        ),
        "",
    ]
    return "\n".join(lines)


def _example_line(template: Template) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([c.example for c in template.columns])
    return buffer.getvalue()


def index_page(catalogue: dict[str, tuple[str, list[MetricDefinition]]]) -> str:
    """``docs/templates/README.md``: the list of templates."""
    lines = [
        "# Force system extract templates",
        "",
        "What no open source holds (domestic abuse flags, protective orders, referrals, "
        "missing-person episodes, training records, victim feedback) a force imports from "
        "its own systems through these templates. Each page says what one row is, every "
        "column's type and rule, and which metrics the extract feeds. Pages and empty "
        "templates are generated from `src/vawg/extracts/templates/` by "
        "`python -m vawg.extracts.make_template_files`; do not edit them by hand.",
        "",
        "| template | dataset | one row is | metrics |",
        "|---|---|---|---|",
    ]
    for template in TEMPLATES.values():
        lines.append(
            f"| [{template.title}]({template.slug}.md) | `{template.dataset}` | "
            f"{_cell(template.one_row.split('. ')[0].rstrip('.'))} | "
            f"{len(metrics_using(template, catalogue))} |"
        )
    lines += [
        "",
        "Validation refuses the whole file on any problem and names the file, the row (the "
        "header is row 1, as a spreadsheet shows it) and the column.",
        "",
    ]
    return "\n".join(lines)


def write_xlsx(template: Template, path: Path) -> None:
    """The empty Excel template: a "Data" sheet and an "About" sheet with the rules."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append(list(template.headers))
    data.freeze_panes = "A2"
    for index, column in enumerate(template.columns, start=1):
        letter = get_column_letter(index)
        data.cell(row=1, column=index).font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(column.name) + 4)
        values = None
        if column.type == "boolean":
            values = ("yes", "no")
        elif column.type == "choice":
            values = column.choices
        if values is not None and len(",".join(values)) < 250:  # Excel's list limit
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                error=f"{column.name}: {column.rule()}",
            )
            validation.add(f"{letter}2:{letter}100000")
            data.add_data_validation(validation)
        if column.type in ("date", "month", "datetime", "text", "choice"):
            # Text cells, so Excel keeps 2022-03 as typed rather than making it a date.
            for row in range(2, 1001):
                data.cell(row=row, column=index).number_format = "@"
    about = workbook.create_sheet("About")
    about.append([f"{template.title} ({template.slug})"])
    about["A1"].font = Font(bold=True, size=14)
    about.append([template.purpose])
    about.append([f"One row is {template.one_row[0].lower()}{template.one_row[1:]}"])
    about.append([f"Month of a row: {template.month_rule}."])
    about.append(["Pseudonymous references only: never a name, address or free text."])
    about.append([])
    heading = ["column", "type", "required", "rule", "meaning", "example"]
    about.append(heading)
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    for column in template.columns:
        about.append(
            [
                column.name,
                column.type,
                "yes" if column.required else "no",
                column.rule(),
                column.description,
                column.example,
            ]
        )
    about.append([])
    about.append(["Rules across columns"])
    about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.append([f"Each {', '.join(template.key)} appears once in the file."])
    for rule in template.rules:
        about.append([f"{rule.describe()}."])
    for letter, width in zip("ABCDEF", (24, 10, 10, 60, 70, 24), strict=True):
        about.column_dimensions[letter].width = width
    for row in about.iter_rows(min_row=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.creator = "VAWG Tracker"
    workbook.properties.created = _FIXED_TIME
    workbook.properties.modified = _FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_all(files_dir: Path = FILES_DIR, docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Write every template's CSV, XLSX and page, and the index; returns the paths written."""
    catalogue = read_catalogue(CATALOGUE_DIR)
    files_dir.mkdir(parents=True, exist_ok=True)
    docs_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for template in TEMPLATES.values():
        csv_path = files_dir / f"{template.slug}.csv"
        csv_path.write_text(csv_text(template), encoding="utf-8")
        xlsx_path = files_dir / f"{template.slug}.xlsx"
        write_xlsx(template, xlsx_path)
        doc_path = docs_dir / f"{template.slug}.md"
        doc_path.write_text(doc_page(template, catalogue), encoding="utf-8")
        written += [csv_path, xlsx_path, doc_path]
    index = docs_dir / "README.md"
    index.write_text(index_page(catalogue), encoding="utf-8")
    written.append(index)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write everything (optionally into other folders, for a check)."""
    parser = argparse.ArgumentParser(prog="python -m vawg.extracts.make_template_files")
    parser.add_argument("--files-dir", type=Path, default=FILES_DIR)
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR)
    args = parser.parse_args(argv)
    for path in write_all(args.files_dir, args.docs_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
