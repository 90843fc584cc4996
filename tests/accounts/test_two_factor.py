"""Second factor: administrators and offender managers must set up an authenticator app at
their first sign-in and enter its code at every later one; codes are computed with pyotp."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.urls import reverse

from vawg.accounts import twofactor
from vawg.accounts.models import RecoveryCode, TOTPDevice
from vawg.accounts.views import SETUP_SECRET_KEY

from .conftest import PASSWORD

T0 = dt.datetime(2025, 3, 1, 9, 0, 5, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(twofactor, "now", clock)
    return clock


def _password(client, username="administrator"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _enrol(client, clock, username="administrator"):
    """Password, set-up page, code from the app; returns (secret, recovery codes)."""
    assert _password(client, username)["Location"] == reverse("two-factor-setup")
    page = client.get(reverse("two-factor-setup"))
    secret = client.session[SETUP_SECRET_KEY]
    code = pyotp.TOTP(secret).at(clock.now)
    done = client.post(reverse("two-factor-setup"), {"code": code})
    assert done.status_code == 302, done.content.decode()
    codes = client.get(done["Location"]).context["codes"]
    return page, secret, codes


def test_administrator_sets_up_an_app_at_first_sign_in(client, users, clock):
    response = _password(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-setup")
    # Not signed in yet: the password alone opens nothing.
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302

    page = client.get(reverse("two-factor-setup"))
    html = page.content.decode()
    secret = client.session[SETUP_SECRET_KEY]
    assert 'src="data:image/svg+xml' in html  # the QR code, inline
    assert twofactor.grouped(secret) in html
    assert "must sign in with a code" in html

    wrong = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in wrong.content.decode()
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()

    done = client.post(reverse("two-factor-setup"), {"code": pyotp.TOTP(secret).at(clock.now)})
    assert done["Location"] == reverse("recovery-codes")
    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert codes[0] in codes_page.content.decode()
    # Stored as hashes only, and shown once.
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert client.get(reverse("recovery-codes")).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=users["administrator"]).secret == secret


def test_later_sign_ins_need_a_fresh_code(client, users, clock):
    _, secret, _ = _enrol(client, clock)
    client.logout()

    assert _password(client)["Location"] == reverse("login-code")
    assert client.get(reverse("home")).status_code == 302
    page = client.get(reverse("login-code"))
    assert "Enter your code" in page.content.decode()

    # The code used to set up the app (same time step) is not accepted again.
    replay = client.post(reverse("login-code"), {"code": pyotp.TOTP(secret).at(clock.now)})
    assert replay.status_code == 200
    assert "The code is not right" in replay.content.decode()
    wrong = client.post(reverse("login-code"), {"code": "123456"})
    assert "govuk-error-summary" in wrong.content.decode()

    clock.now += dt.timedelta(seconds=30)
    ok = client.post(reverse("login-code"), {"code": pyotp.TOTP(secret).at(clock.now)})
    assert ok.status_code == 302
    assert ok["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_code_from_far_away_in_time_is_refused(client, users, clock):
    _, secret, _ = _enrol(client, clock)
    client.logout()
    _password(client)
    stale = pyotp.TOTP(secret).at(clock.now - dt.timedelta(minutes=5))
    assert client.post(reverse("login-code"), {"code": stale}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, users, clock):
    _, _, codes = _enrol(client, clock)
    client.logout()

    _password(client)
    used = client.post(reverse("login-code"), {"code": codes[3].upper()}, follow=True)
    assert used.status_code == 200
    assert "You have 9 left" in used.content.decode()
    client.logout()

    _password(client)
    again = client.post(reverse("login-code"), {"code": codes[3]})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_pending_person_with_an_app_cannot_set_up_another(client, users, clock):
    _enrol(client, clock)
    client.logout()
    _password(client)
    assert client.get(reverse("two-factor-setup"))["Location"] == reverse("login")
    assert client.post(reverse("two-factor-setup"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.count() == 1


def test_an_unverified_session_of_someone_who_needs_a_factor_is_signed_out(client, users):
    client.force_login(users["offender_manager"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_others_may_opt_in_and_then_need_the_code(client, users, clock):
    response = _password(client, "board-member")
    assert response["Location"] == reverse("home")  # no second factor needed
    assert "Set up two-factor" in client.get(reverse("two-factor")).content.decode()
    client.get(reverse("two-factor-setup"))
    secret = client.session[SETUP_SECRET_KEY]
    done = client.post(reverse("two-factor-setup"), {"code": pyotp.TOTP(secret).at(clock.now)})
    assert done["Location"] == reverse("recovery-codes")
    assert client.get(reverse("home")).status_code == 200  # this session has passed it
    client.logout()
    assert _password(client, "board-member")["Location"] == reverse("login-code")


def test_new_recovery_codes_replace_the_old(client, users, clock):
    _, _, old = _enrol(client, clock)
    response = client.post(reverse("two-factor"))
    new = client.get(response["Location"]).context["codes"]
    assert not set(old) & set(new)
    assert not twofactor.use_recovery_code(users["administrator"], old[0])
    assert twofactor.use_recovery_code(users["administrator"], new[0])


def test_wrong_codes_lock_the_account(client, users, clock):
    _enrol(client, clock)
    client.logout()
    _password(client)
    for _ in range(4):
        assert client.post(reverse("login-code"), {"code": "000000"}).status_code == 200
    locked = client.post(reverse("login-code"), {"code": "000000"})
    assert locked.status_code == 429
    assert "wrong code too many times" in locked.content.decode()
    # The pending sign-in is gone, and the password step is locked too.
    assert client.get(reverse("login-code")).status_code == 302
    assert _password(client).status_code == 429


def test_the_trail_names_the_person_who_set_up_a_second_factor(client, users, clock):
    from vawg.audit.models import AuditEvent

    admin = users["administrator"]
    _enrol(client, clock)
    # Set up before the sign-in completes (the request's user is still anonymous).
    (device,) = AuditEvent.objects.filter(model="totpdevice", action="create")
    assert (device.actor, device.actor_label) == (admin, "administrator")
    assert device.object_repr == f"authenticator app of user {admin.pk}"
    (codes,) = AuditEvent.objects.filter(object_repr="recovery codes of administrator")
    assert codes.actor == admin
    assert not AuditEvent.objects.filter(actor_label="anonymous").exists()
