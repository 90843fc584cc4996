"""Helpers for tests that sign a user in without going through the sign-in pages."""

from __future__ import annotations

from vawg.accounts.middleware import VERIFIED_KEY


def sign_in(client, user, *, second_factor: bool = True):
    """``client.force_login(user)``, marking the session as past the second factor.

    ``AccessPolicyMiddleware`` signs out a user who needs a second factor (administrators,
    offender managers, superusers, anyone with an authenticator app) when their session has
    not passed one; tests of other things use this instead of plain ``force_login``.
    """
    client.force_login(user)
    if second_factor:
        session = client.session
        session[VERIFIED_KEY] = True
        session.save()
    return client
