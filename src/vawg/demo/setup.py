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
from django.contrib.auth import get_user_model
from django.core.management import call_command

from vawg.imports.services import import_police_uk
from vawg.metrics.models import Observation
from vawg.metrics.services import compute_observations, load_catalogue
from vawg.strategy.loader import DEMO_RESPONSES, load_packs

logger = logging.getLogger(__name__)

DEMO_POLICE_UK_DIR = Path(__file__).resolve().parent / "police_uk"
DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


def initialise(*, demo: bool = True) -> None:
    """Create or migrate the database, load the packs and catalogue, import the demo data."""
    call_command("migrate", interactive=False, verbosity=0)
    load_packs(responses_path=DEMO_RESPONSES if demo else None)
    load_catalogue()
    if demo:
        run = import_police_uk(sorted(DEMO_POLICE_UK_DIR.glob("*.csv.gz")))
        if run.files_imported or not Observation.objects.exists():
            compute_observations()


def demo_login() -> DemoLogin:
    """The demo account, created on first use with a random password kept in the data dir.

    The password file is readable by its owner only; a real installation makes accounts with
    ``vawg createsuperuser`` and never uses this one.
    """
    path = settings.DATA_DIR / "demo-login.txt"
    user_model = get_user_model()
    if path.exists() and user_model.objects.filter(username=DEMO_USERNAME).exists():
        return DemoLogin(DEMO_USERNAME, path.read_text(encoding="utf-8").strip())
    password = secrets.token_urlsafe(12)
    user, _ = user_model.objects.get_or_create(username=DEMO_USERNAME)
    user.set_password(password)
    user.save()
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return DemoLogin(DEMO_USERNAME, password)
