"""``vawg init`` and ``vawg serve``: bring the installation up and run it."""

from __future__ import annotations

import errno
import logging
import socket

import click

from vawg.cli import as_command, setup_django


@click.command("init", short_help="Create or update the database and load packs and demo data.")
@click.option("--no-demo", is_flag=True, help="Load the packs only, without the demo force data.")
def init_command(no_demo: bool) -> None:
    """Create or migrate the database and load packs, catalogue and demo data (safe to rerun)."""
    with as_command("init"):
        from vawg.demo.setup import initialise

        initialise(demo=not no_demo)
    click.echo("Database ready.")


@click.command("serve", short_help="Set up, then serve the tracker and its background work.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Run background work (imports from the page) in this process; with --no-worker, "
    "run 'vawg manage db_worker' beside it.",
)
@click.option(
    "--no-demo",
    is_flag=True,
    help="A real installation: no demo force data and no demo accounts (as vawg init --no-demo).",
)
def serve_command(host: str, port: int, threads: int, worker: bool, no_demo: bool) -> None:
    """Run vawg init, then serve the tracker (and its background work) until interrupted."""
    # Before the slow set-up and before any announcement: a busy port is the commonest reason
    # a second `vawg serve` fails, and it should say so in one line, having started nothing.
    check_port_free(host, port)
    setup_django()
    from django.conf import settings
    from waitress import create_server

    from vawg.config.wsgi import application
    from vawg.demo.setup import demo_login, initialise

    with as_command("serve"):
        initialise(demo=not no_demo)
        login = None if no_demo else demo_login()
    # Something may have taken the port during set-up: bind for real before announcing.
    # TODO: one process serves about 53 reckoner pages a second, so 50 users who never pause
    # wait about a second (bench/RESULTS.md); a production server needs several worker
    # processes (gunicorn on vawg.config.wsgi), which neither this command nor the docs set up.
    try:
        server = create_server(application, host=host, port=port, threads=threads)
    except OSError as exc:
        raise click.ClickException(_bind_problem(host, port, exc)) from None
    click.echo(f"VAWG Tracker on http://{host}:{port}/")
    if login is not None:
        for line in login.announcement(settings.DATA_DIR / "demo-logins.txt"):
            click.echo(line)
    click.echo(f"Data directory: {settings.DATA_DIR}")
    if worker:
        from vawg.cli.worker import start_worker_thread

        if start_worker_thread() is not None:
            click.echo("Background worker: running in this process")
    # No logging.basicConfig() here (as waitress.serve would do): settings.LOGGING already
    # gives the root a handler, and a second one wrote every line twice in two formats.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server.run()


def check_port_free(host: str, port: int) -> None:
    """Stop with a one-line message unless ``port`` on ``host`` can be bound now.

    Binds as waitress will (address reuse on, every address the host resolves to), then lets
    go, so a socket left in TIME_WAIT by the last run does not count as busy.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"Cannot serve on {host}: {exc.strerror}.") from None
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
        except OSError as exc:
            raise click.ClickException(_bind_problem(host, port, exc)) from None


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} on {host} is in use: stop what is using it or choose another "
            "with --port N."
        )
    return f"Cannot serve on port {port} of {host}: {exc.strerror or exc}."


@click.command(
    "manage",
    short_help="Run a Django management command, such as createsuperuser.",
    add_help_option=False,
    options_metavar="",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[COMMAND [ARGS]...]")
@click.pass_context
def manage_command(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Run a Django management command: vawg manage COMMAND [ARGS].

    vawg manage help lists the commands, and vawg manage COMMAND --help explains one (for
    example unlock_sign_in, createsuperuser or db_worker).
    """
    # --help after a command name is that command's: the wrapper's own help option would
    # swallow it, so the wrapper answers only a bare --help.
    if args and args[0] in ("-h", "--help"):
        click.echo(ctx.get_help())
        return
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vawg manage", *args])
