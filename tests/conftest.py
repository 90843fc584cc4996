"""Shared fixtures: every test gets its own data directory and Parquet store."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_parquet_dir(request, tmp_path):
    """Keep row-level files of one test away from every other test and from the user's.

    Pure-domain tests may run without the Django plugin (``-p no:django``); they need nothing.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.VAWG_PARQUET_DIR = tmp_path / "parquet"
    settings.VAWG_PARQUET_DIR.mkdir()
    settings.DATA_DIR = tmp_path
