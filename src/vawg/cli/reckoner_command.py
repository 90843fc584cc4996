"""``vawg reckoner`` and ``vawg publish``: a month's ready reckoner for a person or a program."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from vawg.cli import as_command, setup_django, write_output

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise click.BadParameter(
            f"{value!r} is not a month in the form YYYY-MM", param_hint="--month"
        )
    return value


def _force(slug: str):
    from vawg.strategy.models import Force

    force = Force.objects.filter(slug=slug).first()
    if force is None:
        known = ", ".join(Force.objects.values_list("slug", flat=True)) or "none loaded"
        raise click.BadParameter(f"no force {slug!r} (known: {known})", param_hint="--force")
    return force


@click.command("reckoner", short_help="Show a month's ready reckoner: values, RAG and reasons.")
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option("--month", required=True, help="Month as YYYY-MM.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table", "pdf", "xlsx"]), default="table"
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (required for pdf and xlsx).",
)
def reckoner_command(force_slug: str, month: str, fmt: str, output: Path | None) -> None:
    """Every metric's value, change, RAG and reason for a month (as published, if it was)."""
    _month(month)
    if fmt in {"pdf", "xlsx"} and output is None:
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    setup_django()
    from vawg.reports.reckoner_export import reckoner_document, reckoner_pdf, reckoner_xlsx

    document = reckoner_document(_force(force_slug), month)
    if fmt == "json":
        click.echo(json.dumps(list(document.rows), indent=2))
    elif fmt == "table":
        click.echo(_table(list(document.rows), document.force_name, month))
    else:
        data = reckoner_pdf(document) if fmt == "pdf" else reckoner_xlsx(document)
        write_output(output, data)
        click.echo(f"Wrote {output} ({len(data):,} bytes)")


@click.command("publish", short_help="Freeze a month's ready reckoner as the board will read it.")
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option("--month", required=True, help="Month as YYYY-MM.")
def publish_command(force_slug: str, month: str) -> None:
    """Freeze a month's ready reckoner as the board will read it."""
    _month(month)
    with as_command("publish"):
        from vawg.metrics.publication import (
            AlreadyPublishedError,
            NoFiguresError,
            publish_reckoner,
        )

        try:
            publication = publish_reckoner(force=_force(force_slug), month=month)
        except (AlreadyPublishedError, NoFiguresError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Published the ready reckoner for {month} ({len(publication.rows)} metrics).")


def _table(rows: list[dict], force_name: str, month: str) -> str:
    from vawg.reports.reckoner_export import MISSING, format_value

    lines = [f"Ready reckoner: {force_name}, {month}", ""]
    header = f"{'metric':<38} {'value':>10} {'num':>8} {'den':>8} {'RAG':<6} reason"
    lines += [header, "-" * len(header)]
    for row in rows:
        numerator = MISSING if row["numerator"] is None else f"{row['numerator']:.0f}"
        denominator = MISSING if row["denominator"] is None else f"{row['denominator']:.0f}"
        lines.append(
            f"{row['id']:<38} {format_value(row['value'], row['unit']):>10} {numerator:>8} "
            f"{denominator:>8} {row['rag']:<6} {row['reason']}"
        )
    return "\n".join(lines)
