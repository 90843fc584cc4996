"""Security headers on every page, production settings that refuse to start without their
secrets, and a clean ``check --deploy``."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

SRC = str(Path(__file__).resolve().parents[2] / "src")
REQUIRED = ("VAWG_SECRET_KEY", "DATABASE_URL", "VAWG_ALLOWED_HOSTS")
#: Set by the browser tests in this process (Playwright's event loop); never in production.
NOT_INHERITED = (*REQUIRED, "DJANGO_ALLOW_ASYNC_UNSAFE")


def _env(tmp_path, **values) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="vawg.config.production",
        VAWG_DATA_DIR=str(tmp_path),
        PYTHONPATH=SRC + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.update(values)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_its_environment(tmp_path):
    result = _run(["-c", "import vawg.config.production"], _env(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in REQUIRED:
        assert name in result.stderr


def test_production_names_the_one_variable_missing(tmp_path):
    env = _env(
        tmp_path,
        VAWG_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL="postgres://vawg@db.invalid:5432/vawg",
    )
    result = _run(["-c", "import vawg.config.production"], env)
    assert result.returncode != 0
    assert "without VAWG_ALLOWED_HOSTS in the environment" in result.stderr
    short = _run(
        ["-c", "import vawg.config.production"],
        {**env, "VAWG_ALLOWED_HOSTS": "vawg.example.org", "VAWG_SECRET_KEY": "short"},
    )
    assert "at least 50 random characters" in short.stderr


def test_deploy_check_passes_with_the_environment_set(tmp_path):
    env = _env(
        tmp_path,
        VAWG_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL="postgres://vawg@db.invalid:5432/vawg",
        VAWG_ALLOWED_HOSTS="vawg.example.org",
    )
    result = _run(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_carries_the_security_headers(client, world, users, as_role, signed_in):
    if signed_in:
        as_role("head_of_pvp")
    response = client.get(reverse("home" if signed_in else "login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_hold_no_inline_script_or_style(client, world, as_role):
    as_role("head_of_pvp")
    for url in (
        reverse("login"),
        reverse("home"),
        reverse("action", args=[world.own_action.code]),
        reverse("metric", args=[world.metric.code]),
        reverse("reckoner"),
    ):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page and "<style" not in page, url
    metric = client.get(reverse("metric", args=[world.metric.code])).content.decode()
    assert "<svg" in metric and 'stroke="' in metric  # the chart, styled by attributes
