"""The data directory and what the tracker writes into it are readable by their owner alone.

The database holds password hashes, second-factor secrets and the audit trail, so a local
user other than the service's must not be able to read it, whatever the login umask.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from vawg.config.paths import readable_by_others


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_command_creates_the_data_directory_and_database_for_its_owner_only(tmp_path):
    data_dir = tmp_path / "new" / "data"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VAWG_DATA_DIR"] = str(data_dir)
    # The usual login umask, which would leave the database readable by everyone.
    script = "import os, sys; os.umask(0o022); from vawg.cli import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", script, "manage", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert _mode(data_dir) == 0o700
    written = [p for p in data_dir.rglob("*") if p.is_file()]
    assert data_dir / "vawg.sqlite3" in written
    assert {p.name: _mode(p) for p in written} == {p.name: 0o600 for p in written}


def test_readable_by_others_names_the_mode_of_an_open_folder(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)
    assert readable_by_others(folder) == "755"
    folder.chmod(0o700)
    assert readable_by_others(folder) is None
    assert readable_by_others(tmp_path / "missing") is None
