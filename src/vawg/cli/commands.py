"""The list of ``vawg`` subcommands, gathered from their modules."""

from __future__ import annotations

import click

from vawg.cli.backup_commands import backup_command, restore_command
from vawg.cli.import_command import import_group
from vawg.cli.pack_commands import load_packs_command
from vawg.cli.paper_commands import paper_command, return_command
from vawg.cli.reckoner_command import publish_command, reckoner_command
from vawg.cli.setup_commands import init_command, manage_command, serve_command
from vawg.cli.spc import spc_command

ALL: list[click.Command] = [
    init_command,
    serve_command,
    load_packs_command,
    import_group,
    reckoner_command,
    publish_command,
    paper_command,
    return_command,
    spc_command,
    backup_command,
    restore_command,
    manage_command,
]
