"""``vawg manage unlock_sign_in USERNAME``: lift a sign-in lockout before it runs out."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from vawg.accounts import throttle, twofactor
from vawg.accounts.models import TOTPDevice
from vawg.audit.recording import acting_as


class Command(BaseCommand):
    help = (
        "Forget the failed sign-ins of a username, from every address, and unlock its "
        "authenticator app after too many wrong codes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        count = throttle.clear(username)
        self.stdout.write(f"Forgot {count} failed sign-in{'s' if count != 1 else ''}.")
        field = get_user_model().USERNAME_FIELD
        device = TOTPDevice.objects.filter(**{f"user__{field}__iexact": username}).first()
        with acting_as("system: unlock_sign_in"):
            if device is not None and twofactor.unlock(device):
                self.stdout.write("Unlocked the authenticator app after too many wrong codes.")
