"""Where the tracker keeps its files: one data directory per installation.

Kept free of Django so the CLI can resolve it before settings load.
"""

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The directory for the SQLite database, the Parquet store and uploads.

    ``VAWG_DATA_DIR`` wins; otherwise the per-user data directory of the platform.
    """
    configured = os.environ.get("VAWG_DATA_DIR")
    path = Path(configured).expanduser() if configured else Path(user_data_dir("vawg-tracker"))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def parquet_dir() -> Path:
    path = data_dir() / "parquet"
    path.mkdir(parents=True, exist_ok=True)
    return path


def uploads_dir() -> Path:
    path = data_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path
