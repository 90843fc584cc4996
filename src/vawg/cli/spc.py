"""``vawg spc``: rate one ``period,value`` CSV with the Making Data Count method.

Needs no database and no Django: it only reads the file and prints the rating.
"""

from __future__ import annotations

import json

import click

from vawg.ratings import RatingSettings, SeriesInputError, rate_series, read_series_csv
from vawg.ratings.rag import fmt
from vawg.ratings.series import Rating, normalise_period


def _rebase_period(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """Check each ``--rebase`` (``PERIOD`` or ``PERIOD:REASON``); return (period, reason) pairs.

    Periods never contain a colon, so the first colon separates the reason, which may hold
    colons of its own. Without a reason the rebase is labelled as coming from the command line.
    """
    rebases = []
    for item in value:
        period, colon, reason = item.partition(":")
        if colon and not reason.strip():
            raise click.BadParameter(
                f"{item!r}: give a reason after the colon, or leave the colon out",
                ctx=ctx,
                param=param,
            )
        try:
            canonical = normalise_period(period)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
        rebases.append(
            (canonical, reason.strip() if colon else f"rebased at {canonical} (command line)")
        )
    return tuple(rebases)


def _num(x: float | None) -> str:
    return "" if x is None else fmt(x)


def render_table(rating: Rating) -> str:
    """A readable plain-text rendering of a rating (summary lines, then one row per period)."""
    lines = [
        f"RAG:        {rating.rag}",
        f"Reason:     {rating.reason}",
        f"Mean:       {_num(rating.mean) or '-'}",
        f"Limits:     {_num(rating.lower_limit) or '-'} to {_num(rating.upper_limit) or '-'}",
        f"Variation:  {rating.variation}",
        f"Assurance:  {rating.assurance}",
        f"Rule:       {rating.rule}",
    ]
    for seg in rating.segments:
        if seg.reason:
            lines.append(f"Rebase:     segment {seg.index} from {seg.start_period}: {seg.reason}")
    lines.append("")
    header = ("period", "value", "seg", "mean", "lower", "upper", "type", "flags")
    rows = [header]
    for p in rating.points:
        rows.append(
            (
                p.period,
                "(gap)" if p.value is None else fmt(p.value),
                str(p.segment),
                _num(p.mean),
                _num(p.lower_limit),
                _num(p.upper_limit),
                p.point_type or "",
                ",".join(p.flags),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


@click.command("spc", short_help="Rate a series with statistical process control.")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV file with columns period,value (YYYY-MM or YYYYQn; an empty value is a gap).",
)
@click.option(
    "--polarity",
    type=click.Choice(["up", "down", "neither"]),
    default="neither",
    show_default=True,
    help="Which direction is better: up (higher), down (lower) or neither.",
)
@click.option("--target", type=float, default=None, help="Target value, for the assurance signal.")
@click.option(
    "--screen-outliers",
    is_flag=True,
    help="Drop moving ranges >= 3.267 x their mean before setting the limits.",
)
@click.option(
    "--rebase",
    multiple=True,
    callback=_rebase_period,
    metavar="YYYY-MM[:REASON]",
    help=(
        "Start a new segment (new mean and limits) at this period, with the reason after a "
        'colon, e.g. --rebase 2024-01:"new recording rules". Repeatable.'
    ),
)
@click.option(
    "--fix-after",
    type=click.IntRange(min=2),
    default=None,
    help="Fix the mean and limits on the first N points of each segment.",
)
@click.option(
    "--min-points",
    type=click.IntRange(min=2),
    default=15,
    show_default=True,
    help="Points needed before process limits are drawn.",
)
@click.option(
    "--conflict",
    type=click.Choice(["concern", "improvement"]),
    default="concern",
    show_default=True,
    help="Which wins when a point's signals point both ways.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "table"]),
    default="json",
    show_default=True,
    help="json: one JSON object; table: readable text.",
)
def spc_command(
    input_path: str,
    polarity: str,
    target: float | None,
    screen_outliers: bool,
    rebase: tuple[tuple[str, str], ...],
    fix_after: int | None,
    min_points: int,
    conflict: str,
    output_format: str,
) -> None:
    """Rate a series with statistical process control (NHS Making Data Count XmR chart).

    Prints the mean, process limits, special-cause flags, variation and assurance signals
    and a red/amber/green rating with its reason.
    """
    try:
        settings = RatingSettings(
            polarity=polarity,
            target=target,
            screen_outliers=screen_outliers,
            fix_after_n_points=fix_after,
            rebase=rebase,
            min_points=min_points,
            conflict=conflict,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        series = read_series_csv(input_path)
        rating = rate_series(series, settings)
    except SeriesInputError as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.ClickException(f"{input_path}: {exc}") from None
    if output_format == "json":
        click.echo(json.dumps(rating.to_dict(), indent=2))
    else:
        click.echo(render_table(rating))
