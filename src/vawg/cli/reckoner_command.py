"""``vawg reckoner``: the ready reckoner for one force and month, for a person or a program."""

from __future__ import annotations

import json
import re

import click

from vawg.cli import setup_django

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@click.command("reckoner")
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option("--month", required=True, help="Month as YYYY-MM.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
def reckoner_command(force_slug: str, month: str, fmt: str) -> None:
    """Print every metric's value, RAG and reason for a month."""
    if not _MONTH.match(month):
        raise click.BadParameter(
            f"{month!r} is not a month in the form YYYY-MM", param_hint="--month"
        )
    setup_django()
    from vawg.metrics.reckoner import build_reckoner, row_as_dict
    from vawg.strategy.models import Force

    force = Force.objects.filter(slug=force_slug).first()
    if force is None:
        known = ", ".join(Force.objects.values_list("slug", flat=True)) or "none loaded"
        raise click.BadParameter(f"no force {force_slug!r} (known: {known})", param_hint="--force")
    rows = [row_as_dict(row) for row in build_reckoner(force, month).rows]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(_table(rows, force.name, month))


def _table(rows: list[dict], force_name: str, month: str) -> str:
    lines = [f"Ready reckoner: {force_name}, {month}", ""]
    header = f"{'metric':<38} {'value':>10} {'num':>8} {'den':>8} {'RAG':<6} reason"
    lines += [header, "-" * len(header)]
    for row in rows:
        value = "-" if row["value"] is None else _format(row["value"], row["unit"])
        numerator = "-" if row["numerator"] is None else f"{row['numerator']:.0f}"
        denominator = "-" if row["denominator"] is None else f"{row['denominator']:.0f}"
        lines.append(
            f"{row['id']:<38} {value:>10} {numerator:>8} {denominator:>8} "
            f"{row['rag']:<6} {row['reason']}"
        )
    return "\n".join(lines)


def _format(value: float, unit: str) -> str:
    return f"{value:.1f}%" if unit == "percent" else f"{value:,.0f}"
