"""``vawg backup`` and ``vawg restore``: one file holding a whole installation, and back.

Thin edge over ``vawg.backup.archive``: parse arguments, show the steps, print the result.
"""

from __future__ import annotations

from pathlib import Path

import click

from vawg.cli import setup_django
from vawg.errors import VawgError


def _step(message: str) -> None:
    click.echo(f"  {message}…", err=True)


@click.command("backup", short_help="Write the whole installation to one .tar.gz backup file.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
def backup_command(file: Path, overwrite: bool) -> None:
    """Write the database, Parquet store and uploads to FILE (.tar.gz).

    The file holds every record, restricted ones included: keep it on encrypted storage with
    the same access controls as the live system.
    """
    setup_django()
    from vawg.audit.recording import acting_as
    from vawg.backup.archive import create_backup

    try:
        with acting_as("system: vawg backup"):
            summary = create_backup(file, overwrite=overwrite, progress=_step)
    except VawgError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Backup written to {summary.path}")
    click.echo(f"  database rows  {summary.rows:>12,}")
    click.echo(f"  files          {summary.files:>12,}")
    click.echo(f"  bytes          {summary.bytes:>12,}")
    click.echo(f"  seconds        {summary.seconds:>12.1f}")


@click.command(
    "restore", short_help="Restore a backup file into this installation, all or nothing."
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace everything in a non-empty installation (database rows, audit trail, files).",
)
# Elsewhere --force names a police force; this was its old name, kept so scripts still run.
@click.option("--force", "replace_deprecated", is_flag=True, hidden=True)
def restore_command(file: Path, replace: bool, replace_deprecated: bool) -> None:
    """Restore a backup FILE into this (empty) installation, all or nothing.

    Every file's checksum is checked before anything is changed. The target is the data
    directory and database of VAWG_DATA_DIR and DATABASE_URL.
    """
    if replace_deprecated:
        click.echo("Note: --force is now --replace; it will go in a later version.", err=True)
    setup_django()
    from vawg.audit.recording import acting_as
    from vawg.backup.archive import restore_backup

    try:
        with acting_as("system: vawg restore"):
            summary = restore_backup(file, replace=replace or replace_deprecated, progress=_step)
    except VawgError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Restored {file}")
    click.echo(f"  database rows  {summary.rows:>12,}")
    click.echo(f"  files          {summary.files:>12,}")
    click.echo(f"  seconds        {summary.seconds:>12.1f}")
