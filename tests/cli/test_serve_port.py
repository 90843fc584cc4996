"""``vawg serve`` on a busy port says so in one line, having announced and started nothing."""

from __future__ import annotations

import logging
import socket

import pytest
from click.testing import CliRunner

from vawg.cli import main


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def test_a_busy_port_is_one_line_and_nothing_starts(busy_port, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr("vawg.cli.worker.start_worker_thread", lambda **_: started.append("worker"))
    monkeypatch.setattr("vawg.demo.setup.initialise", lambda **_: started.append("initialise"))

    result = CliRunner().invoke(main, ["serve", "--port", str(busy_port)])

    assert result.exit_code == 1
    assert result.output == (
        f"Error: Port {busy_port} on 127.0.0.1 is in use: stop what is using it or choose "
        "another with --port N.\n"
    )
    assert "VAWG Tracker on" not in result.output
    assert started == []
    assert not isinstance(result.exception, OSError)


def test_a_free_port_passes_the_check(busy_port):
    from vawg.cli.setup_commands import check_port_free

    # Find a port nobody holds by letting the kernel choose, then giving it back.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as spare:
        spare.bind(("127.0.0.1", 0))
        free = spare.getsockname()[1]
    assert free != busy_port
    assert check_port_free("127.0.0.1", free) is None


@pytest.mark.parametrize(("flags", "demo"), [([], True), (["--no-demo"], False)])
def test_serve_sets_up_the_demo_unless_told_not_to(flags, demo, monkeypatch):
    calls: list[tuple[str, object]] = []

    class Server:
        def run(self) -> None:
            calls.append(("run", None))

    monkeypatch.setattr("vawg.demo.setup.initialise", lambda **kw: calls.append(("init", kw)))
    monkeypatch.setattr("vawg.demo.setup.demo_login", lambda: calls.append(("login", None)))
    monkeypatch.setattr("waitress.create_server", lambda *args, **kwargs: Server())

    result = CliRunner().invoke(main, ["serve", "--port", "0", "--no-worker", *flags])

    assert result.exit_code == 0, result.output
    expected = [("init", {"demo": demo}), *([("login", None)] if demo else []), ("run", None)]
    assert calls == expected
    assert "VAWG Tracker on http://127.0.0.1:0/" in result.output


def _console_handlers(name: str) -> list[logging.Handler]:
    """The plain stream handlers a record logged on ``name`` reaches (pytest's own left out)."""
    found: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger(name)
    while logger is not None:
        found.extend(h for h in logger.handlers if type(h) is logging.StreamHandler)
        logger = logger.parent if logger.propagate else None
    return found


@pytest.mark.parametrize("name", ["vawg.governance.services", "waitress", "django.request"])
def test_serve_writes_each_log_line_once(name, monkeypatch):
    class Server:
        def run(self) -> None:
            pass

    monkeypatch.setattr("vawg.demo.setup.initialise", lambda **kw: None)
    monkeypatch.setattr("vawg.demo.setup.demo_login", lambda: None)
    monkeypatch.setattr("waitress.create_server", lambda *args, **kwargs: Server())
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--no-worker", "--no-demo"])
    assert result.exit_code == 0, result.output

    handlers = _console_handlers(name)
    # One handler, the root's, in the tracker's one format: waitress's warnings still show.
    assert len(handlers) == 1
    assert handlers[0] in logging.getLogger().handlers
    assert handlers[0].formatter._fmt == "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logger = logging.getLogger(name)
    assert logger.isEnabledFor(logging.WARNING)
    assert logging.getLogger("vawg").getEffectiveLevel() == logging.INFO
