"""Where the tracker keeps its files: one data directory per installation.

Kept free of Django so the CLI can resolve it before settings load.
"""

import os
import stat
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The directory for the SQLite database, the Parquet store and uploads.

    ``VAWG_DATA_DIR`` wins; otherwise the per-user data directory of the platform.
    """
    configured = os.environ.get("VAWG_DATA_DIR")
    path = Path(configured).expanduser() if configured else Path(user_data_dir("vawg-tracker"))
    # Owner-only: it holds password hashes, second-factor secrets and the audit trail.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path.resolve()


def keep_new_files_private() -> None:
    """Make every file and folder this process creates readable by its owner alone.

    SQLite creates its database, journal and WAL files with the process's umask, and so do
    DuckDB's Parquet writes: a default umask of 022 leaves them readable by every local user.
    """
    os.umask(0o077)


def readable_by_others(path: Path) -> str | None:
    """The octal mode of ``path`` if users other than its owner may read or enter it."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return f"{mode:o}" if mode & 0o077 else None


def parquet_dir() -> Path:
    path = data_dir() / "parquet"
    path.mkdir(parents=True, exist_ok=True)
    return path


def uploads_dir() -> Path:
    path = data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path
