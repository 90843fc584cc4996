"""``vawg import``: bring source files into the tracker.

Thin edge over ``vawg.imports.services``: parse arguments, show progress, print the result.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from vawg.cli import as_command
from vawg.errors import VawgError

import_group = click.Group(
    "import",
    help="Import source files (all or nothing: a bad file stops the whole run).",
    short_help="Import source files, all or nothing.",
)


@import_group.command(
    "police-uk", short_help="Import data.police.uk crime, outcomes and stop-and-search CSVs."
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="Also log each file as it is imported.")
def police_uk(paths: tuple[Path, ...], verbose: bool) -> None:
    """Import data.police.uk street, outcomes and stop-and-search CSV files.

    PATHS are files or folders (searched recursively) of YYYY-MM-<force>-street.csv,
    -outcomes.csv and -stop-and-search.csv files, optionally gzipped (.csv.gz). Every file is
    validated before anything is imported; files already imported are skipped, and a
    different file for a month already imported replaces it (a restatement).
    """
    from vawg.cli import setup_django

    setup_django()
    import_logger = logging.getLogger("vawg.imports")
    level = import_logger.level
    if not verbose:
        # The summary below says what the per-file log lines would; keep the bar readable.
        import_logger.setLevel(logging.CRITICAL)
    try:
        with as_command("import police-uk"):
            _import(list(paths))
    finally:
        import_logger.setLevel(level)


def _import(paths: list[Path]) -> None:
    """Run the import with a progress bar on stderr and the summary on stdout."""
    from vawg.imports.services import (
        ImportFailedError,
        counted,
        discover_police_uk_files,
        import_police_uk,
    )

    try:
        total = len(discover_police_uk_files(paths))
    except VawgError:
        total = 0  # the import below reports the problem and records the failed run
    try:
        with click.progressbar(
            length=total,
            label="Importing",
            show_pos=True,
            item_show_func=lambda p: p.name if p else None,
            file=sys.stderr,
        ) as bar:
            run = import_police_uk(paths, progress=lambda path: bar.update(1, path))
    except ImportFailedError as exc:
        click.echo(f"Error: {exc}", err=True)
        where = f" (recorded as import run {exc.run.pk})" if exc.run is not None else ""
        rejected = f"; {counted(exc.rows_rejected, 'row')} rejected" if exc.rows_rejected else ""
        click.echo(f"Nothing was imported{rejected}{where}.", err=True)
        raise click.exceptions.Exit(1) from None
    except VawgError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Import run {run.pk}: {run.get_status_display()}")
    click.echo(f"  files imported   {run.files_imported:>12,}")
    click.echo(f"  files unchanged  {run.files_unchanged:>12,}")
    click.echo(f"  rows accepted    {run.rows_accepted:>12,}")
    click.echo(f"  rows rejected    {run.rows_rejected:>12,}")
    click.echo(f"  seconds          {run.seconds:>12.1f}")
    _recompute(run)


def _recompute(run) -> None:
    """Bring every metric up to date with what the run changed."""
    from vawg.metrics.services import recompute_after_import

    summary = recompute_after_import(run)
    if summary is None:
        return
    click.echo(
        f"Metrics recomputed: {summary.observations:,} observations of {summary.metrics} "
        f"metrics in {summary.seconds:.1f} s"
    )


def _import_tables(tables, source_kind) -> None:
    from vawg.imports.services import ImportFailedError
    from vawg.imports.tables import import_tables

    try:
        with click.progressbar(
            length=len(tables), label="Importing", show_pos=True, file=sys.stderr
        ) as bar:
            run = import_tables(tables, source_kind=source_kind, progress=lambda _: bar.update(1))
    except ImportFailedError as exc:
        click.echo(f"Error: {exc}", err=True)
        where = f" (recorded as import run {exc.run.pk})" if exc.run is not None else ""
        click.echo(f"Nothing was imported{where}.", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Import run {run.pk}: {run.get_status_display()}")
    click.echo(f"  months imported  {run.files_imported:>12,}")
    click.echo(f"  months unchanged {run.files_unchanged:>12,}")
    click.echo(f"  rows accepted    {run.rows_accepted:>12,}")
    click.echo(f"  seconds          {run.seconds:>12.1f}")
    _recompute(run)


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@import_group.command("extract", short_help="Import force system extracts made from the templates.")
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option("--force", "force_slug", required=True, help="Force slug, e.g. cambridgeshire.")
@click.option(
    "--template",
    help="Template slug (default: from the end of each file name, e.g. ...-da-incidents.csv).",
)
def extract(files: tuple[Path, ...], force_slug: str, template: str | None) -> None:
    """Import force system extracts (CSV or XLSX) made from the documented templates.

    Each file is split into months; a later extract replaces the months it covers and leaves
    the others. Templates and their columns: docs/templates/.
    """
    from vawg.cli import setup_django

    setup_django()
    from vawg.imports.models import ImportSource
    from vawg.imports.tables import extract_file

    try:
        tables = [extract_file(path, force=force_slug, template=template) for path in files]
    except (VawgError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    with as_command("import extract"):
        _import_tables(tables, ImportSource.FORCE_EXTRACT)


@import_group.command(
    "home-office", short_help="Import Home Office recorded crime and population per force."
)
@click.option("--prc", "prc", type=_FILE, help="Police recorded crime by force area (CSV).")
@click.option("--census", type=_FILE, help="Census 2011 usual residents by LSOA (CSV).")
@click.option("--lookup", type=_FILE, help="LSOA to police force lookup (CSV).")
def home_office(prc: Path | None, census: Path | None, lookup: Path | None) -> None:
    """Import the Home Office recorded-crime table and the population per force."""
    from vawg.cli import setup_django

    if (census is None) != (lookup is None):
        raise click.UsageError("--census and --lookup go together")
    if prc is None and census is None:
        raise click.UsageError("give --prc, or --census with --lookup, or all three")
    setup_django()
    from vawg.imports.models import ImportSource
    from vawg.imports.tables import population_files, prc_file

    tables = []
    if prc is not None:
        tables.append(prc_file(prc))
    if census is not None and lookup is not None:
        tables.append(population_files(census, lookup))
    with as_command("import home-office"):
        _import_tables(tables, ImportSource.HOME_OFFICE)
