"""The second factor: TOTP authenticator apps (RFC 6238, via pyotp) and recovery codes.

A code is accepted within one 30-second step either side of the server's clock, and never
twice (the step of the last accepted code is kept). Recovery codes are ten random codes of
74 bits each, shown once and stored as SHA-256 hashes; each works once.

Wrong codes are counted on the device, apart from wrong passwords: knowing the password
gives no more guesses at the code. After ``VAWG_SECOND_FACTOR_MAX_FAILURES`` (5) wrong codes
in a row, sign-in to the account is refused until an administrator unlocks it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vawg.accounts.models import RecoveryCode, TOTPDevice
from vawg.audit.models import AuditAction
from vawg.audit.recording import actor_for, record_event

logger = logging.getLogger(__name__)

ISSUER = "VAWG Tracker"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud
_DRIFT_STEPS = 1


def now() -> dt.datetime:
    """The present instant; the one seam tests replace to fix the clock."""
    return timezone.now()


def new_secret() -> str:
    """A fresh 160-bit base32 secret, as authenticator apps expect."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG data URI (an image: no inline style for CSP to block)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand.

    >>> grouped("JBSWY3DPEHPK3PXP")
    'JBSW Y3DP EHPK 3PXP'
    """
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def matching_step(secret: str, code: str, *, at: dt.datetime | None = None) -> int | None:
    """The time step whose code ``code`` is (within the allowed drift), or None."""
    code = _normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = at or now()
    current = totp.timecode(moment)
    for step in range(current - _DRIFT_STEPS, current + _DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(device: TOTPDevice, code: str, *, at: dt.datetime | None = None) -> bool:
    """Accept ``code`` for ``device`` once: a code already used (or older) is refused."""
    step = matching_step(device.secret, code, at=at)
    if step is None:
        return False
    # Compare-and-set, so two requests racing with the same code cannot both pass.
    return bool(TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step))


def enrol(user, *, secret: str, code: str, at: dt.datetime | None = None) -> list[str] | None:
    """Confirm a new authenticator app with a code from it; return fresh recovery codes.

    Returns None (and stores nothing) when the code does not match the secret.
    """
    step = matching_step(secret, code, at=at)
    if step is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.update_or_create(
            user=user,
            defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step},
        )
        return new_recovery_codes(user)


def has_device(user) -> bool:
    return bool(getattr(user, "pk", None)) and TOTPDevice.objects.filter(user=user).exists()


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with ten new ones and return them (shown once)."""
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(3))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        replaced, _ = RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash(code)) for code in codes
        )
        # bulk_create sends no signals. The codes (and their hashes) never enter the trail.
        record_event(
            AuditAction.CHANGE,
            target=user,
            object_repr=f"recovery codes of {user.get_username()}",
            changes={"recovery_codes": "regenerated", "count": len(codes), "replaced": replaced},
            actor=actor_for(user),
        )
    return codes


def use_recovery_code(user, code: str) -> bool:
    """Spend one of ``user``'s recovery codes; False if it is unknown or already used."""
    if not _normalise_code(code):
        return False
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            user=user, code_hash=_hash(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            # A recovery code used is a sign of a lost phone, or of a stolen code: keep it.
            record_event(
                AuditAction.CHANGE,
                target=user,
                object_repr=f"recovery codes of {user.get_username()}",
                changes={"recovery_codes": "one used", "left": recovery_codes_left(user)},
                actor=actor_for(user),
            )
    return bool(used)


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- wrong codes ----------------------------------------------------------------------------


def max_code_failures() -> int:
    return int(getattr(settings, "VAWG_SECOND_FACTOR_MAX_FAILURES", 5))


def is_locked(device: TOTPDevice) -> bool:
    """Whether too many wrong codes have locked sign-in with ``device``."""
    return device.locked_at is not None or device.failed_codes >= max_code_failures()


def username_is_locked(username: str) -> bool:
    """Whether the account called ``username`` (any case) has its second factor locked."""
    field = get_user_model().USERNAME_FIELD
    devices = TOTPDevice.objects.filter(**{f"user__{field}__iexact": (username or "").strip()})
    return any(is_locked(device) for device in devices)


def record_code_failure(device: TOTPDevice) -> bool:
    """Count one wrong code (or recovery code) for ``device``; return whether it is now locked."""
    with transaction.atomic():
        # F(): two wrong codes sent at once must both count.
        TOTPDevice.objects.filter(pk=device.pk).update(failed_codes=F("failed_codes") + 1)
        device.refresh_from_db(fields=["failed_codes", "locked_at"])
        # Each wrong code, not only the lock: a password that works with a failing second
        # factor is what a security officer investigating a stolen password looks for.
        record_event(
            AuditAction.LOGIN_FAILED,
            target=device,
            changes={"second_factor": "wrong code", "failed_codes": device.failed_codes},
        )
        if device.locked_at is None and device.failed_codes >= max_code_failures():
            device.locked_at = timezone.now()
            TOTPDevice.objects.filter(pk=device.pk).update(locked_at=device.locked_at)
            # update() sends no signal; the lock is what a security officer looks for.
            record_event(
                AuditAction.CHANGE,
                target=device,
                changes={"second_factor": "locked", "failed_codes": device.failed_codes},
            )
            logger.warning(
                "second factor of user id %s locked after %d wrong codes",
                device.user_id,
                device.failed_codes,
            )
    return is_locked(device)


def clear_code_failures(device: TOTPDevice) -> None:
    """Forget wrong codes after a full sign-in (no-op, and no write, when there were none)."""
    if device.failed_codes:
        TOTPDevice.objects.filter(pk=device.pk, locked_at__isnull=True).update(failed_codes=0)


def unlock(device: TOTPDevice) -> bool:
    """Lift a second-factor lock (an administrator's action); return whether there was one.

    A save, not update(): the unlock and who did it are recorded by the audit trail.
    """
    if not device.failed_codes and device.locked_at is None:
        return False
    device.failed_codes = 0
    device.locked_at = None
    device.save(update_fields=["failed_codes", "locked_at"])
    logger.info("second factor of user id %s unlocked", device.user_id)
    return True
