"""No secret key is written in the source: the development settings make one per data
directory (owner-only), and the WSGI entry point defaults to the production settings, which
refuse to start without theirs. ``vawg serve`` still starts with its own settings."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .test_security import NOT_INHERITED, SRC

SETTINGS = Path(SRC) / "vawg" / "config" / "settings.py"
PRINT_KEY_DIGEST = (
    "import hashlib; from django.conf import settings; "
    "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())"
)


def _env(data_dir: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in NOT_INHERITED and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(VAWG_DATA_DIR=str(data_dir), PYTHONPATH=SRC + os.pathsep + env.get("PYTHONPATH", ""))
    env.update(values)
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def _dev_key_digest(data_dir: Path, **values: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); {PRINT_KEY_DIGEST}"
    return _python(code, _env(data_dir, DJANGO_SETTINGS_MODULE="vawg.config.settings", **values))


def test_no_key_is_written_in_the_settings():
    text = SETTINGS.read_text(encoding="utf-8")
    assert "insecure" not in text
    assert 'SECRET_KEY = os.environ.get("VAWG_SECRET_KEY", "").strip() or local_secret_key(' in text


def test_development_settings_make_one_owner_only_key_per_data_directory(tmp_path):
    first = _dev_key_digest(tmp_path / "a")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "a" / "secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="ascii").strip()
    assert len(key) >= 80
    assert first.stdout.strip() == hashlib.sha256(key.encode()).hexdigest()
    # The next start keeps it (sessions survive a restart); another installation has its own.
    assert _dev_key_digest(tmp_path / "a").stdout == first.stdout
    other = _dev_key_digest(tmp_path / "b")
    assert other.returncode == 0, other.stderr
    assert other.stdout != first.stdout
    # No staging file is left behind.
    assert sorted(p.name for p in (tmp_path / "a").iterdir() if "secret" in p.name) == [
        "secret-key"
    ]


def test_a_key_from_the_environment_wins_and_no_file_is_made(tmp_path):
    key = secrets.token_urlsafe(64)
    result = _dev_key_digest(tmp_path, VAWG_SECRET_KEY=key)
    assert result.stdout.strip() == hashlib.sha256(key.encode()).hexdigest()
    assert not (tmp_path / "secret-key").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_file_others_can_read_is_refused(tmp_path):
    assert _dev_key_digest(tmp_path).returncode == 0
    (tmp_path / "secret-key").chmod(0o644)
    result = _dev_key_digest(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "can be read or changed by other users" in result.stderr


def test_a_truncated_key_file_is_refused(tmp_path):
    key_file = tmp_path / "secret-key"
    key_file.write_text("short", encoding="ascii")
    key_file.chmod(0o600)
    result = _dev_key_digest(tmp_path)
    assert result.returncode != 0
    assert "does not hold a whole key" in result.stderr


def test_wsgi_defaults_to_production_and_refuses_without_its_secrets(tmp_path):
    result = _python("import vawg.config.wsgi", _env(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production settings refuse to start without VAWG_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret-key").exists()


def test_wsgi_starts_under_production_with_its_environment(tmp_path):
    env = _env(
        tmp_path,
        VAWG_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL="postgres://vawg@db.invalid:5432/vawg",
        VAWG_ALLOWED_HOSTS="vawg.example.org",
    )
    result = _python(
        "import vawg.config.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG)",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["vawg.config.production", "False"]


def test_vawg_serve_chooses_the_development_settings_before_the_wsgi_module(tmp_path):
    # What serve_command does before serving: set Django up, then import the application.
    result = _python(
        "from vawg.cli import setup_django; setup_django(); "
        "from vawg.config.wsgi import application; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE)",
        _env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "vawg.config.settings"
    assert (tmp_path / "secret-key").exists()
