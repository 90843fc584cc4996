"""Wrong second-factor codes are counted apart from passwords and lock the account until a
full sign-in or an administrator; password failures also count per username everywhere."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from vawg.accounts import roles, throttle, twofactor
from vawg.accounts.models import TOTPDevice
from vawg.accounts.testing import sign_in
from vawg.audit.models import AuditEvent

from .conftest import PASSWORD
from .test_two_factor import Clock, _enrol, _password

WRONG = "000000"


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(twofactor, "now", clock)
    return clock


def _code(client, code, ip="127.0.0.1"):
    return client.post(reverse("login-code"), {"code": code}, REMOTE_ADDR=ip)


def _device(users, key="administrator") -> TOTPDevice:
    return TOTPDevice.objects.get(user=users[key])


def test_the_right_password_again_does_not_buy_more_guesses_at_the_code(client, users, clock):
    _enrol(client, clock)
    client.logout()
    # Four wrong codes, then the (right) password again, which used to wipe the count.
    assert _password(client)["Location"] == reverse("login-code")
    for _ in range(4):
        assert _code(client, WRONG).status_code == 200
    assert _password(client)["Location"] == reverse("login-code")
    assert _device(users).failed_codes == 4

    fifth = _code(client, WRONG)
    assert fifth.status_code == 429
    assert "wrong code too many times" in fifth.content.decode()
    assert _device(users).locked_at is not None

    # Locked for good: not after the password window, not with the right code either.
    clock.now += dt.timedelta(hours=3)
    for password in (PASSWORD, "a-wrong-password"):
        # The same refusal either way: the page tells a guesser nothing about the password.
        page = client.post(reverse("login"), {"username": "Administrator", "password": password})
        assert page.status_code == 429
        assert "paused to protect it" in page.content.decode()
    assert "_auth_user_id" not in client.session

    (lock,) = AuditEvent.objects.filter(model="totpdevice", changes__second_factor="locked")
    assert lock.changes == {"second_factor": "locked", "failed_codes": 5}
    assert lock.actor is None
    assert lock.actor_label == "anonymous"
    # Every wrong code is in the trail, against the device (so the account), not its owner.
    wrong = AuditEvent.objects.filter(action="login_failed", model="totpdevice").order_by("id")
    assert [e.changes["failed_codes"] for e in wrong] == [1, 2, 3, 4, 5]
    assert {(e.object_pk, e.actor_label) for e in wrong} == {(str(_device(users).pk), "anonymous")}


def test_recovery_code_guesses_count_too(client, users, clock):
    _enrol(client, clock)
    client.logout()
    _password(client)
    for attempt in range(5):
        _code(client, f"abcde-fghjk-mnp{attempt:02d}")
    assert twofactor.is_locked(_device(users))


def test_wrong_codes_from_many_addresses_add_up(client, users, clock):
    _enrol(client, clock)
    client.logout()
    for n in range(5):
        _password(client)
        _code(client, WRONG, ip=f"192.0.2.{n + 1}")
    assert _device(users).failed_codes == 5
    assert twofactor.is_locked(_device(users))


def test_a_full_sign_in_forgets_earlier_wrong_codes(client, users, clock):
    _, secret, _ = _enrol(client, clock)
    client.logout()
    _password(client)
    for _ in range(4):
        _code(client, WRONG)
    clock.now += dt.timedelta(seconds=30)
    assert _code(client, pyotp.TOTP(secret).at(clock.now)).status_code == 302
    assert _device(users).failed_codes == 0
    client.logout()

    _password(client)
    for _ in range(4):
        assert _code(client, WRONG).status_code == 200
    assert not twofactor.is_locked(_device(users))


def test_an_administrator_unlocks_from_the_admin_and_it_is_recorded(client, users, clock):
    _, secret, _ = _enrol(client, clock, username="offender-manager")
    client.logout()
    _password(client, "offender-manager")
    for _ in range(5):
        _code(client, WRONG)
    device = _device(users, "offender_manager")
    assert twofactor.is_locked(device)

    admin = get_user_model().objects.create_user("second-admin", password=PASSWORD)
    roles.assign_role(admin, roles.ADMINISTRATOR)
    sign_in(client, admin)
    page = client.post(
        reverse("admin:accounts_totpdevice_changelist"),
        {"action": "unlock", "_selected_action": [str(device.pk)]},
    )
    assert page.status_code == 302
    device.refresh_from_db()
    assert (device.failed_codes, device.locked_at) == (0, None)
    unlock = AuditEvent.objects.filter(model="totpdevice", object_pk=str(device.pk)).latest("id")
    assert unlock.actor == admin
    assert unlock.changes["failed_codes"] == [5, 0]
    assert unlock.changes["locked_at"][1] is None
    client.logout()

    _password(client, "offender-manager")
    clock.now += dt.timedelta(seconds=30)
    assert _code(client, pyotp.TOTP(secret).at(clock.now)).status_code == 302


def test_the_unlock_command_lifts_a_code_lock(client, users, clock):
    _enrol(client, clock)
    client.logout()
    _password(client)
    for _ in range(5):
        _code(client, WRONG)
    call_command("unlock_sign_in", "administrator")
    assert not twofactor.is_locked(_device(users))
    assert _password(client)["Location"] == reverse("login-code")


def test_only_an_administrator_can_unlock_from_the_admin(client, users):
    moment = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    device = TOTPDevice.objects.create(
        user=users["administrator"], secret=twofactor.new_secret(), confirmed_at=moment
    )
    TOTPDevice.objects.filter(pk=device.pk).update(failed_codes=5, locked_at=moment)
    sign_in(client, users["head_of_pvp"])
    page = client.post(
        reverse("admin:accounts_totpdevice_changelist"),
        {"action": "unlock", "_selected_action": [str(device.pk)]},
    )
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("admin-sign-in"))
    assert twofactor.is_locked(_device(users))


def test_password_guesses_from_many_addresses_lock_the_username(client, users, settings):
    settings.VAWG_SIGN_IN_MAX_FAILURES = 5
    settings.VAWG_SIGN_IN_MAX_FAILURES_PER_USERNAME = 12
    for n in range(3):
        for attempt in range(4):  # under the per-address limit at every address
            page = client.post(
                reverse("login"),
                {"username": "board-member", "password": f"guess-{n}-{attempt}"},
                REMOTE_ADDR=f"203.0.113.{n + 1}",
            )
    assert page.status_code == 429  # the twelfth guess, from the third address
    fresh = client.post(
        reverse("login"),
        {"username": "board-member", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.99",
    )
    assert fresh.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = client.post(
        reverse("login"), {"username": "analyst", "password": PASSWORD}, REMOTE_ADDR="203.0.113.1"
    )
    assert other.status_code == 302


def test_per_username_default_is_higher_than_per_address():
    assert throttle.max_failures_per_username() > throttle.max_failures()
