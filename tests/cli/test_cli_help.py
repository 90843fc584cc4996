"""``vawg --help`` lists every command with one whole sentence; help texts carry no markup;
``vawg manage COMMAND --help`` is the Django command's own help."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from vawg.cli import main

COMMANDS = [
    "backup",
    "import",
    "init",
    "load-packs",
    "manage",
    "paper",
    "publish",
    "reckoner",
    "restore",
    "return",
    "serve",
    "spc",
]


def _listing(args: list[str]) -> dict[str, str]:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    commands = result.output.split("Commands:\n", 1)[1]
    return dict(re.findall(r"^  (\S+)\s+(.+)$", commands, re.M))


def test_every_command_is_listed_with_one_whole_sentence():
    listed = _listing([])
    assert sorted(listed) == COMMANDS
    for name, text in listed.items():
        assert text.endswith("."), (name, text)
        assert not text.endswith("..."), (name, text)
        assert "e.g." not in text, (name, text)
    assert listed["manage"] == "Run a Django management command, such as createsuperuser."
    assert sorted(_listing(["import"])) == ["extract", "home-office", "police-uk"]
    assert list(_listing(["return"])) == ["submit"]
    for group in (["import"], ["return"]):
        for name, text in _listing(group).items():
            assert text.endswith(".") and not text.endswith("..."), (name, text)


def _all_commands(group: click.Group, prefix: list[str]):
    for name, command in group.commands.items():
        yield [*prefix, name]
        if isinstance(command, click.Group):
            yield from _all_commands(command, [*prefix, name])


@pytest.mark.parametrize("args", list(_all_commands(main, [])), ids=" ".join)
def test_help_texts_carry_no_backticks(args):
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="vawg")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: vawg {' '.join(args)} ")
    assert "`" not in result.output


def test_manage_passes_help_to_the_django_command():
    result = CliRunner().invoke(main, ["manage", "unlock_sign_in", "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("usage: vawg manage unlock_sign_in ")
    words = " ".join(result.output.split())
    assert "Forget the failed sign-ins of a username, from every address" in words
    assert "Run a Django management command" not in result.output


def test_manage_alone_with_help_explains_the_wrapper():
    result = CliRunner().invoke(main, ["manage", "--help"], prog_name="vawg")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: vawg manage [COMMAND [ARGS]...]\n")
    assert "vawg manage COMMAND --help explains" in " ".join(result.output.split())


def test_restore_offers_replace_and_hides_the_old_force():
    result = CliRunner().invoke(main, ["restore", "--help"], prog_name="vawg")
    assert result.exit_code == 0
    assert "  --replace " in result.output
    assert "--force" not in result.output
