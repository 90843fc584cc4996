"""``vawg paper`` (a board paper as PDF or Word) and ``vawg return`` (the quarterly national
return as Excel, and ``vawg return submit`` to lock it).

The commands parse options, call the domain functions in ``vawg.reports`` and write the file.
Register ``paper_command`` and ``return_command`` in ``vawg.cli.commands.ALL``;
``return_submit_command`` is already a subcommand of ``return_command``.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from vawg.cli import setup_django, write_output


def _force(slug: str):
    from vawg.strategy.models import Force

    force = Force.objects.filter(slug=slug).first()
    if force is None:
        known = ", ".join(Force.objects.values_list("slug", flat=True)) or "none loaded"
        raise click.BadParameter(f"no force {slug!r} (known: {known})", param_hint="--force")
    return force


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date in the form YYYY-MM-DD", param_hint="--date"
        ) from None


@click.command("paper", short_help="Write a board paper (PDF or Word) from the tracker's data.")
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option(
    "--board", required=True, help='Board the paper goes to, e.g. "Business Coordination Board".'
)
@click.option("--date", "date_text", required=True, help="Date of the paper, YYYY-MM-DD.")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write.",
)
@click.option("--agenda-item", default="", help="Agenda item number, e.g. 11.0.")
@click.option("--draft", is_flag=True, help="Mark as draft and list the updates still owed.")
@click.option("--from-role", default=None, help="Role the paper is from (default Chief Constable).")
@click.option(
    "--contact-role",
    "contact_roles",
    multiple=True,
    help="Contact role (repeatable); default: the role owning most responses.",
)
def paper_command(
    force_slug: str,
    board: str,
    date_text: str,
    fmt: str,
    output: Path,
    agenda_item: str,
    draft: bool,
    from_role: str | None,
    contact_roles: tuple[str, ...],
) -> None:
    """Write a board paper on the force's VAWG delivery, built from the tracker's data."""
    as_at = _date(date_text)
    setup_django()
    from vawg.reports.paper.build import DEFAULT_FROM_ROLE, PaperError, build_paper

    started = time.perf_counter()
    try:
        paper = build_paper(
            _force(force_slug),
            board=board,
            as_at=as_at,
            agenda_item=agenda_item,
            draft=draft,
            from_role=from_role or DEFAULT_FROM_ROLE,
            contact_roles=contact_roles,
        )
    except PaperError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "pdf":
        from vawg.reports.paper.pdf import paper_pdf

        data = paper_pdf(paper)
    else:
        from vawg.reports.paper.docx import paper_docx

        data = paper_docx(paper)
    write_output(output, data)
    click.echo(
        f"Wrote {output} ({len(data):,} bytes, {time.perf_counter() - started:.1f} s)"
        + (f"; {len(paper.owed)} updates owed" if draft else "")
    )
    for note in paper.notes:
        click.echo(f"Note: {note}", err=True)


@click.group(
    "return",
    invoke_without_command=True,
    short_help="Export the quarterly national return, or submit it.",
)
@click.option("--force", "force_slug", help="Force slug, e.g. cambridgeshire.")
@click.option("--quarter", help="Calendar quarter, e.g. 2022Q1.")
@click.option(
    "--format", "fmt", type=click.Choice(["xlsx", "json"]), default="xlsx", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write.",
)
@click.pass_context
def return_command(
    ctx: click.Context,
    force_slug: str | None,
    quarter: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Export the quarterly national return (the submitted snapshot once it is submitted).

    vawg return submit locks a quarter's return.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not force_slug or not quarter or output is None:
        raise click.UsageError("give --force, --quarter and --output (or use 'return submit')")
    setup_django()
    from vawg.reports.returns import QuarterError, return_for_export, stated_at_text
    from vawg.reports.returns.workbook import return_json, return_xlsx

    try:
        exported = return_for_export(_force(force_slug), quarter)
    except QuarterError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter") from exc
    data = return_xlsx(exported.content) if fmt == "xlsx" else return_json(exported.content)
    write_output(output, data)
    state = (
        f"submitted snapshot {exported.submission.number}"
        if exported.submission
        else "n" + stated_at_text(quarter)[1:]  # "not submitted: ...", as the line reads
    )
    click.echo(f"Wrote {output} ({len(data):,} bytes; {state})")
    for warning in exported.warnings:
        click.echo(f"Note: {warning}", err=True)


@click.command("submit", short_help="Lock a quarter's return; later changes are restatements.")
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option("--quarter", required=True, help="Calendar quarter, e.g. 2022Q1.")
@click.option("--reason", default="", help="Why a restatement is made (required for one).")
@click.option(
    "--role",
    default="Head of Protecting Vulnerable People",
    show_default=True,
    help="The role you submit in.",
)
def return_submit_command(force_slug: str, quarter: str, reason: str, role: str) -> None:
    """Lock the quarter's return as submitted; a later change becomes a numbered restatement."""
    setup_django()
    from vawg.reports.returns import QuarterError, SubmissionError, submit_return

    try:
        submission = submit_return(
            force=_force(force_slug), quarter=quarter, user=None, role=role, reason=reason
        )
    except QuarterError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter") from exc
    except SubmissionError as exc:
        raise click.ClickException(str(exc)) from exc
    kind = "original return" if submission.number == 0 else f"restatement {submission.number}"
    click.echo(
        f"Submitted the {quarter} return for {submission.force.name} ({kind}), "
        f"sha256 {submission.sha256[:12]}…"
    )


return_command.add_command(return_submit_command)
