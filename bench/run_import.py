"""Time the full import + metrics + ratings against bare DuckDB, and one new month.

Run from the repository root (after ``bench/generate_archive.py``)::

    .venv/bin/python bench/run_import.py                       # bench/out/archive
    .venv/bin/python bench/run_import.py --archive DIR --new-force kent --profile

Steps, each in its own child process so wall time and peak RSS are that process's alone
(``os.wait4``), in a fresh data directory ``bench/out/import-data`` (SQLite):

(a) ``vawg import police-uk ARCHIVE`` (the real command), then ``compute_observations()``
    (skipped when the import command says it recomputed the metrics itself, as it now does)
    and ``build_reckoner(force, latest month)`` for every force (``bench/_steps.py``);
(b) bare DuckDB doing the same work on the same files (``bench/_steps.py bare``);
(c) one new month (the month after the archive) for one force: generated, imported with the
    real command, observations recomputed and that force re-rated.

``--profile`` runs (a) and (c) under cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    OUT,
    PYTHON,
    VAWG,
    Measured,
    bench_env,
    print_profile,
    run_measured,
)
from generate_archive import DEFAULT_START, generate, month_index, month_list

STEPS = str(Path(__file__).resolve().parent / "_steps.py")


def _latest_month(archive: Path) -> str:
    months = sorted(p.name for p in archive.iterdir() if p.is_dir() and p.name[:2] == "20")
    if not months:
        raise SystemExit(f"no YYYY-MM folders in {archive}: run bench/generate_archive.py")
    return months[-1]


def _step(label: str, measured: Measured) -> Measured:
    measured.check()
    print(
        f"  {label:<50} {measured.seconds:8.2f} s wall {measured.cpu_seconds:8.2f} s CPU  "
        f"peak RSS {measured.peak_rss_mb:6.0f} MB  (load avg {measured.load_average:.1f})",
        flush=True,
    )
    return measured


def run(
    archive: Path, *, new_force: str = "kent", profile: bool = False, keep: bool = False
) -> dict[str, Any]:
    """Run the three measurements and return their figures."""
    archive = archive.resolve()
    files = sorted(archive.rglob("*.csv"))
    size = sum(p.stat().st_size for p in files)
    print(f"archive {archive}: {len(files):,} files, {size / 1e9:.2f} GB", flush=True)
    data = OUT / "import-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = bench_env(data)
    prof = OUT / "profiles"
    prof.mkdir(exist_ok=True)

    def profiled(name: str) -> Path | None:
        return prof / f"{name}.prof" if profile else None

    _step("vawg init --no-demo (not timed)", run_measured([str(VAWG), "init", "--no-demo"], env))
    imported = _step(
        "(a) vawg import police-uk",
        run_measured(
            [str(VAWG), "import", "police-uk", str(archive)], env, profile=profiled("import")
        ),
    )
    rows = _rows_accepted(imported.stdout)
    # Since the import command recomputes the metrics itself, the next step only rates.
    import_compute_s = _recompute_seconds(imported.stdout)
    skip = ["--skip-compute"] if import_compute_s is not None else []
    rated = _step(
        "(a) build_reckoner x forces" if skip else "(a) compute_observations + build_reckoner",
        run_measured([PYTHON, STEPS, "compute-rate", *skip], env, profile=profiled("compute-rate")),
    )
    bare = _step(
        "(b) bare DuckDB: read, validate, Parquet, metrics",
        run_measured([PYTHON, STEPS, "bare", str(archive), str(OUT / "bare-parquet")], env),
    )
    shutil.rmtree(OUT / "bare-parquet", ignore_errors=True)

    # (c) the month after the archive, for one force.
    next_month = month_list(_latest_month(archive), 2)[1]
    new_dir = OUT / "new-month"
    shutil.rmtree(new_dir, ignore_errors=True)
    generated = generate(new_dir, forces=[new_force], months=[next_month], quiet=True)
    assert month_index(next_month, DEFAULT_START) >= 0
    new_import = _step(
        f"(c) vawg import police-uk {next_month} {new_force}",
        run_measured(
            [str(VAWG), "import", "police-uk", str(new_dir)], env, profile=profiled("new-import")
        ),
    )
    new_compute_s = _recompute_seconds(new_import.stdout)
    new_skip = ["--skip-compute"] if new_compute_s is not None else []
    new_rate = _step(
        f"(c) {'' if new_skip else 'recompute + '}re-rate {new_force} {next_month}",
        run_measured(
            [PYTHON, STEPS, "rerate", "--force", new_force, "--month", next_month, *new_skip],
            env,
            profile=profiled("new-rerate"),
        ),
    )
    if profile:
        for name in ("import", "compute-rate", "new-import", "new-rerate"):
            print(f"\n===== cProfile: {name} =====")
            print(print_profile(prof / f"{name}.prof"))
    if not keep:
        shutil.rmtree(data, ignore_errors=True)
    ours_s = imported.seconds + rated.seconds
    return {
        "files": len(files),
        "csv_bytes": size,
        "rows": rows,
        "profiled": profile,
        "ours": {
            "import_s": imported.seconds,
            "import_cpu_s": imported.cpu_seconds,
            "import_rss_mb": imported.peak_rss_mb,
            "compute_rate_s": rated.seconds,
            "compute_rate_cpu_s": rated.cpu_seconds,
            "compute_rate_rss_mb": rated.peak_rss_mb,
            "inside": rated.data,
            "import_recomputes": import_compute_s is not None,
            "metrics_s": import_compute_s
            if import_compute_s is not None
            else rated.data.get("compute_s", 0.0),
            "total_s": ours_s,
            "total_cpu_s": imported.cpu_seconds + rated.cpu_seconds,
            "load_average": max(imported.load_average, rated.load_average),
            "peak_rss_mb": max(imported.peak_rss_mb, rated.peak_rss_mb),
        },
        "bare": {
            "total_s": bare.seconds,
            "total_cpu_s": bare.cpu_seconds,
            "load_average": bare.load_average,
            "peak_rss_mb": bare.peak_rss_mb,
            "inside": bare.data,
        },
        "new_month": {
            "force": new_force,
            "month": next_month,
            "rows": generated.rows,
            "import_s": new_import.seconds,
            "rerate_s": new_rate.seconds,
            "import_recomputes": new_compute_s is not None,
            "metrics_s": new_compute_s
            if new_compute_s is not None
            else new_rate.data.get("compute_s", 0.0),
            "inside": new_rate.data,
            "total_s": new_import.seconds + new_rate.seconds,
            "total_cpu_s": new_import.cpu_seconds + new_rate.cpu_seconds,
            "load_average": max(new_import.load_average, new_rate.load_average),
            "peak_rss_mb": max(new_import.peak_rss_mb, new_rate.peak_rss_mb),
        },
    }


def _recompute_seconds(stdout: str) -> float | None:
    """Seconds of the recompute the import command reports doing itself, if it does."""
    for line in stdout.splitlines():
        if line.startswith("Metrics recomputed") and line.rstrip().endswith(" s"):
            return float(line.split()[-2])
    return None


def _rows_accepted(stdout: str) -> int:
    for line in stdout.splitlines():
        if "rows accepted" in line:
            return int(line.split()[-1].replace(",", ""))
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=OUT / "archive")
    parser.add_argument("--new-force", default="kent")
    parser.add_argument("--profile", action="store_true", help="cProfile (a) and (c)")
    parser.add_argument("--keep", action="store_true", help="keep bench/out/import-data")
    args = parser.parse_args(argv)
    result = run(args.archive, new_force=args.new_force, profile=args.profile, keep=args.keep)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
