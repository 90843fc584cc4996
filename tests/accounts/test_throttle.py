"""Five failures for a username from one address lock sign-in there for fifteen minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vawg.accounts import throttle
from vawg.accounts.models import SignInFailure

from .conftest import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(throttle, "now", clock)
    return clock


def _sign_in(client, password, username="board-member", ip="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sixth_attempt_is_refused_even_with_the_right_password_until_the_window_passes(
    client, users, clock
):
    for attempt in range(1, 5):
        page = _sign_in(client, f"wrong-password-{attempt}")
        assert page.status_code == 200
        assert "Enter a correct username and password" in page.content.decode()
        clock.advance(seconds=10)
    fifth = _sign_in(client, "wrong-password-5")
    assert fifth.status_code == 429
    assert "wrong details too many times" in fifth.content.decode()

    sixth = _sign_in(client, PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "govuk-error-summary" in page
    assert "wait 15 minutes" in page
    assert "_auth_user_id" not in client.session

    clock.advance(minutes=14)
    assert _sign_in(client, PASSWORD).status_code == 429  # still inside the window
    clock.advance(minutes=1, seconds=1)
    allowed = _sign_in(client, PASSWORD)
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"] == str(users["board_member"].pk)
    # Success clears the count.
    assert not SignInFailure.objects.filter(key=throttle.username_key("board-member")).exists()


def test_lockout_is_per_username_and_address_and_ignores_case(client, users, clock):
    for attempt in range(5):
        _sign_in(
            client, f"wrong-{attempt}", username="Board-Member" if attempt % 2 else "board-member"
        )
    assert _sign_in(client, PASSWORD).status_code == 429
    # The same person from another address, and another person from this one, carry on.
    assert _sign_in(client, PASSWORD, ip="198.51.100.7").status_code == 302
    client.logout()
    assert _sign_in(client, PASSWORD, username="analyst").status_code == 302


def test_blank_fields_are_not_counted(client, users, clock):
    for _ in range(6):
        client.post(reverse("login"), {"username": "board-member", "password": ""})
    assert _sign_in(client, PASSWORD).status_code == 302


def test_an_administrator_can_lift_a_lockout(client, users, clock):
    from django.core.management import call_command

    for attempt in range(5):
        _sign_in(client, f"wrong-{attempt}")
    call_command("unlock_sign_in", "board-member")
    assert _sign_in(client, PASSWORD).status_code == 302
