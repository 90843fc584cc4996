"""``vawg load-packs``: validate and load the framework, strategy and response packs."""

from __future__ import annotations

from pathlib import Path

import click

from vawg.cli import as_command, setup_django

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("load-packs", short_help="Validate the framework and strategy packs and load them.")
@click.option("--framework", type=_FILE, help="Framework pack (default: the shipped 2021 pack).")
@click.option("--strategy", type=_FILE, help="Force strategy pack (default: the shipped one).")
@click.option("--responses", type=_FILE, help="Responses pack to seed a force's responses.")
@click.option("--check", is_flag=True, help="Validate only; write nothing.")
def load_packs_command(
    framework: Path | None, strategy: Path | None, responses: Path | None, check: bool
) -> None:
    """Validate packs (ids unique, counts per pillar, links resolve) and load them; rerunnable."""
    from vawg.strategy import pack_schema

    setup_django()
    from vawg.strategy import loader

    framework = framework or loader.DEFAULT_FRAMEWORK
    strategy = strategy or loader.DEFAULT_STRATEGY
    try:
        framework_pack = pack_schema.read_framework_pack(framework)
        strategy_pack = pack_schema.read_strategy_pack(strategy, framework_pack)
        if responses:
            pack_schema.read_responses_pack(responses, framework_pack, strategy_pack)
        if check:
            click.echo(
                f"{framework.name}: {len(framework_pack.actions)} actions in "
                f"{len(framework_pack.pillars)} pillars; {strategy.name}: valid"
            )
            return
        with as_command("load-packs"):
            summary = loader.load_packs(framework, strategy, responses)
    except pack_schema.PackError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Loaded {summary.actions} actions, {summary.projects} projects; "
        f"{summary.responses_created} responses and {summary.updates_created} updates new."
    )
