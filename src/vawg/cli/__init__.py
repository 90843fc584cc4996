"""The ``vawg`` console command: one entry point for everything a person runs."""

from __future__ import annotations

import os

import click


def setup_django() -> None:
    """Configure Django once; commands that touch the database call this first."""
    from vawg.config.paths import keep_new_files_private

    keep_new_files_private()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vawg.config.settings")
    import django

    django.setup()


def write_output(path, data: bytes) -> None:
    """Write a generated file, or stop with a message naming the path (no traceback)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from exc


def as_command(name: str):
    """Set Django up, and attribute what the command changes to it in the audit trail."""
    setup_django()
    from vawg.audit.recording import acting_as

    return acting_as(f"system: vawg {name}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vawg-tracker")
def main() -> None:
    """VAWG Tracker: the national VAWG framework, a force's strategy and its ready reckoner."""


def _register() -> None:
    # Subcommands live in modules named for what they do; each imports Django lazily so
    # `vawg --help` and `vawg spc` stay fast and need no database.
    from vawg.cli import commands

    for command in commands.ALL:
        main.add_command(command)


_register()
