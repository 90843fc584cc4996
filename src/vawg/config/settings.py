"""Django settings for the VAWG Tracker: local use and the embedded demo.

Safe defaults run the embedded demo (SQLite in the data directory); ``vawg`` commands use
these settings. Production uses ``vawg.config.production`` (the WSGI entry point's default),
which takes ``DATABASE_URL`` (PostgreSQL) and ``VAWG_SECRET_KEY`` from the environment and
refuses to start without them.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from vawg.config.paths import data_dir

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

#: The file holding this installation's own key when none is set in the environment.
KEY_FILE_NAME = "secret-key"


def local_secret_key(directory: Path) -> str:
    """This data directory's own random key, made on first use and readable by its owner only.

    No key is written into the source: one known to everyone would let anyone forge session
    and password-reset tokens of any installation that kept it. Made in a temporary file and
    linked into place, so two processes starting at once agree on one complete key.
    """
    path = directory / KEY_FILE_NAME
    if not path.exists():
        staging = directory / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"No VAWG_SECRET_KEY is set and no key can be made in {directory} "
                f"({exc.strerror}): set VAWG_SECRET_KEY, or let the data directory be written."
            ) from exc
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(64))
        try:
            os.link(staging, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:
            os.replace(staging, path)  # a file system without hard links
        finally:
            staging.unlink(missing_ok=True)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} can be read or changed by other users, so the key in it may be known: "
            "delete the file (a new one is made at the next start, and everyone signs in again) "
            "or set VAWG_SECRET_KEY."
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"{path} does not hold a whole key: delete it and a new one is made at the next start."
        )
    return key


DEBUG = os.environ.get("VAWG_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("VAWG_SECRET_KEY", "").strip() or local_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h for h in os.environ.get("VAWG_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "vawg.audit",
    "vawg.accounts",
    "vawg.strategy",
    "vawg.imports",
    "vawg.metrics",
    "vawg.reports",
    "vawg.governance",
    "vawg.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vawg.config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vawg.audit.middleware.AuditUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After LoginRequiredMiddleware: session lifetime, second factor, every view's access rule.
    "vawg.accounts.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "vawg.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "vawg.config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'vawg.sqlite3'}",
        conn_max_age=int(os.environ.get("VAWG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: ended after 30 minutes without a request (the expiry moves on with every request)
# and when the browser closes; never longer than VAWG_SESSION_MAX_AGE however active.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
VAWG_SESSION_MAX_AGE = 10 * 60 * 60

# Sign-in lockout: this many failed passwords or codes for one username from one address
# within the window pause signing in from there until the window has passed.
VAWG_SIGN_IN_MAX_FAILURES = 5
VAWG_SIGN_IN_WINDOW_SECONDS = 15 * 60

# Security headers in every setting, not only production (production.py adds HTTPS ones).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
VAWG_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the finders; an existing (even empty) root keeps it from warning.
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

VAWG_PARQUET_DIR = DATA_DIR / "parquet"
VAWG_UPLOADS_DIR = DATA_DIR / "uploads"
# Largest evidence file accepted (vawg.strategy.evidence); not served by WhiteNoise.
VAWG_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Largest file the import page accepts, per file.
VAWG_MAX_IMPORT_BYTES = 200 * 1024 * 1024

# Background work (imports from the page): queued in the database, run by the worker thread
# that ``vawg serve`` starts, or by ``vawg manage db_worker`` in production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"forbidden_one_line": {"()": "vawg.config.logfilters.ForbiddenOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # The one console handler is the root's, so each record is written once, in one format,
    # whichever logger it comes from: ours, Django's, or waitress's own warnings (which it
    # sends to its "waitress" logger and expects the root to show).
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "vawg": {"level": os.environ.get("VAWG_LOG_LEVEL", "INFO")},
        # Django's default config gives "django" a console handler of its own (with DEBUG on),
        # which would write its records a second time beside the root's.
        "django": {"handlers": [], "level": "INFO"},
        # Every refusal (403) is one warning line with path and user id, not a traceback.
        "django.request": {"filters": ["forbidden_one_line"]},
    },
}
