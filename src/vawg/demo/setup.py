"""Bringing an installation up to date: database, packs, catalogue and the shipped demo data.

Every step is idempotent, so ``vawg init`` (and ``vawg serve``, which runs it) is safe to run
on every start.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from vawg.accounts.demo import demo_accounts_exist, set_up_demo_accounts
from vawg.config.paths import readable_by_others
from vawg.governance.services import load_governance_pack
from vawg.imports.models import ImportSource
from vawg.imports.services import import_police_uk
from vawg.imports.tables import extract_file, import_tables, population_files, prc_file
from vawg.metrics.models import Observation
from vawg.metrics.services import compute_observations, load_catalogue, recompute_outstanding
from vawg.strategy.loader import DEMO_RESPONSES, load_packs

logger = logging.getLogger(__name__)

DEMO_POLICE_UK_DIR = Path(__file__).resolve().parent / "police_uk"
DEMO_NATIONAL_DIR = Path(__file__).resolve().parent / "national"
DEMO_FORCE = "cambridgeshire"
DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


def initialise(*, demo: bool = True) -> None:
    """Create or migrate the database, load the packs and catalogue, import the demo data."""
    if mode := readable_by_others(settings.DATA_DIR):
        logger.warning(
            "other users can open the data directory %s (mode %s), which holds sensitive "
            "records: chmod 700 it",
            settings.DATA_DIR,
            mode,
        )
    call_command("migrate", interactive=False, verbosity=0)
    load_packs(responses_path=DEMO_RESPONSES if demo else None)
    load_governance_pack()
    load_catalogue()
    if demo:
        import_police_uk(sorted(DEMO_POLICE_UK_DIR.glob("*.csv.gz")))
        import_tables(_national_tables(), source_kind=ImportSource.HOME_OFFICE)
        import_tables(_demo_extracts(), source_kind=ImportSource.FORCE_EXTRACT)
    # Whatever is outstanding, from these runs or from any import (a command, the page)
    # killed between committing its files and recomputing: the runs record it.
    summary = recompute_outstanding()
    if demo and summary is None and not Observation.objects.exists():
        compute_observations()


def _national_tables():
    return [
        prc_file(DEMO_NATIONAL_DIR / "prc-pfa-201718_new.csv.gz"),
        population_files(
            DEMO_NATIONAL_DIR / "census_2011_population_hh.csv.gz",
            DEMO_NATIONAL_DIR / "PoliceforceLSOA.csv.gz",
        ),
    ]


def _demo_extracts():
    """The demo force's system extracts, generated (seeded, so identical on every run).

    No open source holds these records; the generator's totals follow the reference paper's
    published figures, and every record id starts GEN- so nothing passes for real data.
    """
    from vawg.demo.generator import generate

    out = settings.DATA_DIR / "demo-extracts"
    files = generate(out)
    return [extract_file(path, force=DEMO_FORCE) for path in sorted(files.values())]


def demo_login() -> DemoLogin:
    """The demo accounts, one per role (``demo`` is the Head of PVP), created on first use
    with one random password kept in the data dir; ``demo-logins.txt`` beside it lists them.

    The files are readable by their owner only; a real installation makes accounts with
    ``vawg manage createsuperuser`` and the admin, and never uses these.
    """
    path = settings.DATA_DIR / "demo-login.txt"
    listing = settings.DATA_DIR / "demo-logins.txt"
    if path.exists() and demo_accounts_exist():
        set_up_demo_accounts(password=None, listing=listing)
        return DemoLogin(DEMO_USERNAME, path.read_text(encoding="utf-8").strip())
    password = secrets.token_urlsafe(12)
    set_up_demo_accounts(password=password, listing=listing)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return DemoLogin(DEMO_USERNAME, password)
