"""``vawg init`` and ``vawg serve``: bring the installation up and run it."""

from __future__ import annotations

import logging

import click

from vawg.cli import as_command, setup_django


@click.command("init")
@click.option("--no-demo", is_flag=True, help="Load the packs only, without the demo force data.")
def init_command(no_demo: bool) -> None:
    """Create or migrate the database and load packs, catalogue and demo data (safe to rerun)."""
    with as_command("init"):
        from vawg.demo.setup import initialise

        initialise(demo=not no_demo)
    click.echo("Database ready.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Run background work (imports from the page) in this process; with --no-worker, "
    "run `vawg manage db_worker` beside it.",
)
def serve_command(host: str, port: int, threads: int, worker: bool) -> None:
    """Run ``vawg init``, then serve the tracker (and its background work) until interrupted."""
    setup_django()
    from django.conf import settings
    from waitress import serve

    from vawg.config.wsgi import application
    from vawg.demo.setup import demo_login, initialise

    with as_command("serve"):
        initialise(demo=True)
        login = demo_login()
    click.echo(f"VAWG Tracker on http://{host}:{port}/")
    click.echo(f"Demo login: username {login.username}, password {login.password}")
    click.echo(
        "Other roles (same password): demo-deputy, demo-admin, demo-lead, demo-analyst, "
        f"demo-board, demo-partner, demo-offender; see {settings.DATA_DIR / 'demo-logins.txt'}"
    )
    click.echo(f"Data directory: {settings.DATA_DIR}")
    if worker:
        from vawg.cli.worker import start_worker_thread

        if start_worker_thread() is not None:
            click.echo("Background worker: running in this process")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(application, host=host, port=port, threads=threads)


@click.command(
    "manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage_command(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. ``vawg manage createsuperuser``."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vawg manage", *args])
