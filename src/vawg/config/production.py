"""Production settings: the defaults of ``settings`` made safe for a force's network.

Use with ``DJANGO_SETTINGS_MODULE=vawg.config.production``. Secrets and addresses come only
from the environment; start-up stops with a message naming any that is missing:

- ``VAWG_SECRET_KEY``: at least 50 random characters (e.g. ``python -c "import secrets;
  print(secrets.token_urlsafe(64))"``), kept out of the repository and of backups;
- ``DATABASE_URL``: the PostgreSQL database, e.g. ``postgres://vawg@db.internal:5432/vawg``;
- ``VAWG_ALLOWED_HOSTS``: the host names the service answers to, comma-separated.

Optional: ``VAWG_BEHIND_TLS_PROXY=1`` when a reverse proxy ends HTTPS and sets
``X-Forwarded-Proto`` (and strips any such header coming from clients);
``VAWG_CSRF_TRUSTED_ORIGINS`` (comma-separated ``https://`` origins) when the proxy's public
origin differs from the host.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("VAWG_SECRET_KEY", "DATABASE_URL", "VAWG_ALLOWED_HOSTS")

_missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start without "
        + ", ".join(_missing)
        + " in the environment. Set "
        + ("it" if len(_missing) == 1 else "them")
        + " (see vawg/config/production.py for what each holds) and start again."
    )
if len(os.environ["VAWG_SECRET_KEY"].strip()) < 50:
    raise ImproperlyConfigured(
        "VAWG_SECRET_KEY must be at least 50 random characters; generate one with "
        'python -c "import secrets; print(secrets.token_urlsafe(64))".'
    )

from vawg.config.settings import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = os.environ["VAWG_SECRET_KEY"].strip()
ALLOWED_HOSTS = [h.strip() for h in os.environ["VAWG_ALLOWED_HOSTS"].split(",") if h.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("VAWG_ALLOWED_HOSTS names no host; list the service's host names.")

# HTTPS only, remembered by browsers for a year.
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if os.environ.get("VAWG_BEHIND_TLS_PROXY", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("VAWG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
