"""``vawg manage unlock_sign_in USERNAME``: lift a sign-in lockout before it runs out."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vawg.accounts import throttle


class Command(BaseCommand):
    help = "Forget the failed sign-ins of a username, from every address, lifting a lockout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        count = throttle.clear(username)
        self.stdout.write(f"Forgot {count} failed sign-in{'s' if count != 1 else ''}.")
