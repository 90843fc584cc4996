"""Stamp each new session with its start, and mark its second factor as not yet checked."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from vawg.accounts.middleware import SIGNED_IN_AT_KEY, VERIFIED_KEY


@receiver(user_logged_in, dispatch_uid="vawg-accounts-session-start")
def stamp_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT_KEY] = time.time()
    # The sign-in views set this to True once a code has been checked, after login().
    request.session[VERIFIED_KEY] = False
