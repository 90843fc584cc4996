"""Sessions end after 30 idle minutes, at browser close, and after ten hours in any case."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from vawg.accounts.middleware import SIGNED_IN_AT_KEY

from .conftest import PASSWORD


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.VAWG_SESSION_MAX_AGE == 10 * 60 * 60


def _sign_in(client):
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_cookie_lasts_until_the_browser_closes_and_the_server_expiry_moves_on(client, users):
    response = _sign_in(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    session = Session.objects.get(session_key=client.session.session_key)
    first = session.expire_date
    assert first - timezone.now() <= dt.timedelta(minutes=30)
    client.get(reverse("home"))
    session.refresh_from_db()
    assert session.expire_date >= first


def test_an_idle_session_is_over(client, users):
    _sign_in(client)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_older_than_the_maximum_is_over_however_active(client, users):
    _sign_in(client)
    session = client.session
    session[SIGNED_IN_AT_KEY] = time.time() - settings.VAWG_SESSION_MAX_AGE - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # signed out, not just redirected
