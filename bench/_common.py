"""Helpers shared by the benchmark scripts: run a child process and measure it.

Not run on its own; see ``bench/run_all.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
VENV_BIN = Path(sys.executable).parent
VAWG = VENV_BIN / "vawg"
PYTHON = sys.executable
GNU_TIME = Path("/usr/bin/time")


@dataclass
class Measured:
    """One child process: wall seconds, peak resident memory, exit code and output."""

    argv: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = float("nan")  # user + system, the child and what it waited for
    load_average: float = float("nan")  # 1-minute load average when the child finished
    data: dict[str, Any] = field(default_factory=dict)

    def check(self) -> Measured:
        if self.returncode != 0:
            sys.stderr.write(self.stderr[-4000:])
            raise SystemExit(f"{' '.join(self.argv)} failed with exit code {self.returncode}")
        return self


def bench_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a child: a private data directory, quiet logs, our settings."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # always the SQLite file in the bench data dir
    env.update(
        VAWG_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="vawg.config.settings",
        VAWG_LOG_LEVEL="WARNING",
        PYTHONPATH=str(BENCH),
    )
    env.update(extra)
    return env


def run_measured(argv: list[str], env: dict[str, str], *, profile: Path | None = None) -> Measured:
    """Run ``argv`` to completion; its wall time and peak RSS (of that child only).

    If the child prints a JSON object as its last stdout line it is parsed into ``data``.
    With ``profile`` a Python child runs under cProfile, writing its stats there.
    """
    if profile is not None:
        if argv[0] == str(VAWG):
            argv = [PYTHON, "-m", "cProfile", "-o", str(profile), "-m", "vawg.cli", *argv[1:]]
        elif argv[0] == PYTHON:
            argv = [PYTHON, "-m", "cProfile", "-o", str(profile), *argv[1:]]
    stdout_path = OUT / f".child-{os.getpid()}.out"
    stderr_path = OUT / f".child-{os.getpid()}.err"
    rss_path = OUT / f".child-{os.getpid()}.rss"
    OUT.mkdir(parents=True, exist_ok=True)
    # Linux carries ru_maxrss across fork+exec, so a child of this (possibly large) process
    # would report at least our own peak. GNU time is small: its child's figure is its own.
    launch = argv
    if GNU_TIME.exists():
        launch = [str(GNU_TIME), "-f", "%M %U %S", "-o", str(rss_path), *argv]
    started = time.perf_counter()
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        proc = subprocess.Popen(launch, env=env, stdout=out, stderr=err, cwd=ROOT)  # noqa: S603
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = stdout_path.read_text(errors="replace")
    stderr = stderr_path.read_text(errors="replace")
    peak_kb = float(usage.ru_maxrss)  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    if rss_path.exists():
        text = rss_path.read_text().strip().splitlines()
        fields = text[-1].split() if text else []
        if len(fields) == 3 and fields[0].isdigit():
            peak_kb = float(fields[0])
        rss_path.unlink()
    stdout_path.unlink()
    stderr_path.unlink()
    data: dict[str, Any] = {}
    lines = [line for line in stdout.splitlines() if line.strip()]
    if lines and lines[-1].startswith("{"):
        try:
            data = json.loads(lines[-1])
        except json.JSONDecodeError:
            data = {}
    return Measured(
        argv,
        seconds,
        peak_kb / 1024,
        proc.returncode,
        stdout,
        stderr,
        cpu_seconds=cpu,
        load_average=os.getloadavg()[0],
        data=data,
    )


def peak_rss_of_running(pid: int) -> float:
    """Peak RSS (VmHWM) in MB of a process that is still running; NaN if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def print_profile(path: Path, limit: int = 25) -> str:
    """The top functions of a cProfile stats file by cumulative and by own time."""
    import io
    import pstats

    buffer = io.StringIO()
    stats = pstats.Stats(str(path), stream=buffer)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return buffer.getvalue()
