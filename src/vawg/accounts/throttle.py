"""Sign-in throttling: too many failed passwords for one username lock it out for a while.

Failures are rows in the database (the demo has no cache server, and several server
processes must share the count). Five failures for a username from an address within fifteen
minutes refuse the next attempts from there, even with the right password, until the oldest
of those failures is fifteen minutes old. Twenty failures for a username from any addresses
in the window refuse it everywhere: a guesser with many addresses gets no more tries. (The
higher number keeps one person's typos, or a nuisance from one address, from locking the
account for everyone.) A full sign-in clears the count from that address.

Wrong second-factor codes are counted apart, on the authenticator app (``twofactor``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.utils import timezone

from vawg.accounts.models import SignInFailure

logger = logging.getLogger(__name__)


def now() -> dt.datetime:
    """The present instant; the one seam tests replace to move the clock."""
    return timezone.now()


def max_failures() -> int:
    return int(getattr(settings, "VAWG_SIGN_IN_MAX_FAILURES", 5))


def max_failures_per_username() -> int:
    return int(getattr(settings, "VAWG_SIGN_IN_MAX_FAILURES_PER_USERNAME", 20))


def window() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "VAWG_SIGN_IN_WINDOW_SECONDS", 900)))


def client_ip(request) -> str | None:
    """The address the request came from.

    NOTE: REMOTE_ADDR only. Behind a reverse proxy every request comes from the proxy; set
    the proxy to pass the client address and replace this before going live behind one.
    """
    return request.META.get("REMOTE_ADDR") or None


def username_key(username: str) -> str:
    """A keyed hash of the lower-cased username (case variants count as one)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), (username or "").strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def _recent(username: str):
    return SignInFailure.objects.filter(key=username_key(username), at__gt=now() - window())


def is_locked(username: str, ip: str | None) -> bool:
    """Whether sign-in for ``username`` from ``ip`` is refused for now."""
    recent = _recent(username)
    return (
        recent.filter(ip=ip).count() >= max_failures()
        or recent.count() >= max_failures_per_username()
    )


def record_failure(username: str, ip: str | None) -> None:
    """Count one failed password or code, and forget failures older than the window."""
    moment = now()
    SignInFailure.objects.create(key=username_key(username), ip=ip, at=moment)
    SignInFailure.objects.filter(at__lte=moment - window()).delete()
    if is_locked(username, ip):
        # Counts only: never the username, which may be a mistyped password.
        logger.warning(
            "sign-in locked: %d failures from one address or %d for one username",
            max_failures(),
            max_failures_per_username(),
        )


def clear(username: str, ip: str | None = None) -> int:
    """Forget the failures of ``username`` (from ``ip``, or from everywhere); return how many."""
    failures = SignInFailure.objects.filter(key=username_key(username))
    if ip is not None:
        failures = failures.filter(ip=ip)
    deleted, _ = failures.delete()
    return deleted
