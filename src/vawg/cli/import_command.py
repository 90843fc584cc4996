"""``vawg import``: bring source files into the tracker.

Thin edge over ``vawg.imports.services``: parse arguments, show progress, print the result.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from vawg.errors import VawgError

import_group = click.Group(
    "import", help="Import source files (all or nothing: a bad file stops the whole run)."
)


@import_group.command("police-uk")
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
        _import(list(paths))
    finally:
        import_logger.setLevel(level)


def _import(paths: list[Path]) -> None:
    """Run the import with a progress bar on stderr and the summary on stdout."""
    from vawg.imports.services import ImportFailedError, discover_police_uk_files, import_police_uk

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
        rejected = f"; {exc.rows_rejected:,} rows rejected" if exc.rows_rejected else ""
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
