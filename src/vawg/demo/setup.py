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

from vawg.accounts.demo import DEMO_ACCOUNTS, existing_demo_accounts, set_up_demo_accounts
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
    """What ``vawg serve`` tells the person starting it about the demo accounts.

    ``password`` is the demo password of the accounts in ``with_password``; ``kept`` are
    accounts that were already there when this data directory had no ``demo-login.txt`` (a
    restore into a new one, say): their passwords are left as they were.
    """

    username: str
    password: str | None
    with_password: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    def announcement(self, listing: Path) -> list[str]:
        """The lines ``vawg serve`` prints."""
        if not self.kept:
            others = ", ".join(name for name in self.with_password if name != self.username)
            return [
                f"Demo login: username {self.username}, password {self.password}",
                f"Other roles (same password): {others}; see {listing}",
            ]
        lines = [
            f"Demo accounts {', '.join(self.kept)} were already here and keep their passwords "
            "(this data directory has no demo-login.txt, as after a restore into a new one): "
            "sign in with the passwords they had, or set one with "
            "'vawg manage changepassword USERNAME'."
        ]
        if self.with_password:
            lines.append(
                f"New demo accounts {', '.join(self.with_password)}: password {self.password} "
                "(shown only now)"
            )
        lines.append(f"Roles of the demo accounts: {listing}")
        return lines


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

    A password is only ever given to an account created here and now: an existing account
    keeps its own, whether a person changed it or a backup restored it. So a data directory
    without ``demo-login.txt`` whose database already holds demo accounts (a restore into a
    new directory) gets no new password file, and is told the accounts kept their passwords.

    The files are readable by their owner only; a real installation makes accounts with
    ``vawg manage createsuperuser`` and the admin, and never uses these.
    """
    path = settings.DATA_DIR / "demo-login.txt"
    listing = settings.DATA_DIR / "demo-logins.txt"
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
        set_up_demo_accounts(password=password, listing=listing)
        return DemoLogin(DEMO_USERNAME, password, with_password=_all_demo_usernames())
    kept = existing_demo_accounts()
    password = secrets.token_urlsafe(12)
    if not kept:
        created = set_up_demo_accounts(password=password, listing=listing)
        path.write_text(password + "\n", encoding="utf-8")
        path.chmod(0o600)
        return DemoLogin(DEMO_USERNAME, password, with_password=tuple(created))
    # The password is not written down: demo-login.txt would then claim it for the kept
    # accounts too, on every later start.
    created = set_up_demo_accounts(
        password=password,
        listing=listing,
        listing_note="each with its own password (restored or changed; none is in demo-login.txt)",
    )
    logger.info("demo accounts kept their passwords: %s", ", ".join(kept))
    return DemoLogin(
        DEMO_USERNAME,
        password if created else None,
        with_password=tuple(created),
        kept=tuple(kept),
    )


def _all_demo_usernames() -> tuple[str, ...]:
    return tuple(username for username, _ in DEMO_ACCOUNTS)
