"""All benchmarks: build the national archive, time import + metrics + ratings, load the page.

Run from the repository root (``make bench`` runs the first line)::

    .venv/bin/python bench/run_all.py                      # full scale: 43 forces x 36 months
    .venv/bin/python bench/run_all.py --forces 6 --months 12 --seconds 10     # a quick run
    .venv/bin/python bench/run_all.py --reuse-archive --profile

Prints a table (figure, ours, bare DuckDB, ratio or target, pass/fail) and writes it to
``bench/out/results.json`` and ``bench/out/results.md`` (a snippet for the README).
Everything generated lives in ``bench/out/`` (git-ignored): the archive in ``archive/`` (or
``archive-<forces>x<months>/`` when smaller), regenerated unless ``--reuse-archive`` is given
and one with the requested shape exists.

Targets (from the issue): full run within 2x bare DuckDB; peak memory under 2 GB; one new
month imported and re-rated under 5 s; reckoner page p95 under 150 ms with 50 concurrent users
on loopback and 43 forces x 60 metrics x 60 months loaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
import load_reckoner
import run_import
from _common import OUT
from generate_archive import FORCES, FULL_MONTHS, generate, month_list

MEMORY_LIMIT_MB = 2048
NEW_MONTH_LIMIT_S = 5.0
P95_LIMIT_MS = 150.0
RATIO_LIMIT = 2.0


def _archive_shape(archive: Path) -> tuple[int, int]:
    months = [p for p in archive.iterdir() if p.is_dir()] if archive.is_dir() else []
    forces = {f.name[8:].rsplit("-", 1)[0] for m in months for f in m.glob("*-street.csv")}
    return len(forces), len(months)


def _row(figure: str, ours: str, bare: str, target: str, passed: bool | None) -> list[str]:
    verdict = "-" if passed is None else ("pass" if passed else "FAIL")
    return [figure, ours, bare, target, verdict]


def build_table(imp: dict[str, Any], page: dict[str, Any]) -> list[list[str]]:
    ours, bare, new = imp["ours"], imp["bare"], imp["new_month"]
    inside = ours["inside"]
    ratio = ours["total_s"] / bare["total_s"]
    conc = page["concurrent"]
    return [
        _row(
            f"Full run: import + metrics + ratings ({imp['rows']:,} rows, {imp['files']:,} files)",
            f"{ours['total_s']:.1f} s",
            f"{bare['total_s']:.1f} s",
            f"{ratio:.2f}x (target <= {RATIO_LIMIT:g}x)",
            ratio <= RATIO_LIMIT,
        ),
        _row(
            "  the same in CPU seconds (user + system; less sensitive to other load)",
            f"{ours['total_cpu_s']:.1f} s",
            f"{bare['total_cpu_s']:.1f} s",
            f"{ours['total_cpu_s'] / bare['total_cpu_s']:.2f}x",
            None,
        ),
        _row(
            "  of which import (validate, Parquet"
            + (", and the command's own recompute)" if ours.get("import_recomputes") else ")"),
            f"{ours['import_s']:.1f} s",
            f"{bare['inside']['headers_s'] + bare['inside']['import_s']:.1f} s",
            f"{ours['import_s'] / (bare['inside']['headers_s'] + bare['inside']['import_s']):.2f}x",
            None,
        ),
        _row(
            f"  metrics: compute_observations ({inside['observations']:,} observations"
            + (", inside the import above)" if ours.get("import_recomputes") else ")"),
            f"{ours['metrics_s']:.1f} s",
            f"{bare['inside']['metrics_s']:.1f} s",
            f"{ours['metrics_s'] / bare['inside']['metrics_s']:.2f}x",
            None,
        ),
        _row(
            f"  of which ratings ({inside['forces_rated']} forces, latest month)",
            f"{inside['rate_s']:.2f} s",
            "-",
            "-",
            None,
        ),
        _row(
            "Peak memory (largest process)",
            f"{ours['peak_rss_mb']:.0f} MB",
            f"{bare['peak_rss_mb']:.0f} MB",
            f"< {MEMORY_LIMIT_MB} MB",
            ours["peak_rss_mb"] < MEMORY_LIMIT_MB,
        ),
        _row(
            f"One new month, one force ({new['force']} {new['month']}, {new['rows']:,} rows):"
            " import + recompute + re-rate",
            f"{new['total_s']:.2f} s ({new['total_cpu_s']:.2f} s CPU)",
            "-",
            f"< {NEW_MONTH_LIMIT_S:g} s",
            new["total_s"] < NEW_MONTH_LIMIT_S,
        ),
        _row(
            f"Reckoner page p95, {page['users']} users ({page['forces']} x {page['metrics']} x "
            f"{page['months']} loaded; {conc['requests']:,} requests, {conc['errors']} errors, "
            f"{conc['throughput_rps']:.1f} req/s, p50 {conc['p50_ms']:.0f} ms, "
            f"p99 {conc['p99_ms']:.0f} ms)",
            f"{conc['p95_ms']:.0f} ms",
            "-",
            f"< {P95_LIMIT_MS:g} ms",
            conc["p95_ms"] < P95_LIMIT_MS and conc["errors"] == 0,
        ),
        *(
            [
                _row(
                    f"Reckoner page p95, {page['users']} users pausing {page['think_s']:g} s "
                    f"(mean) between pages ({paced['requests']:,} requests, "
                    f"{paced['errors']} errors, {paced['throughput_rps']:.1f} req/s, "
                    f"p50 {paced['p50_ms']:.0f} ms)",
                    f"{paced['p95_ms']:.0f} ms",
                    "-",
                    f"(< {P95_LIMIT_MS:g} ms)",
                    None,
                )
            ]
            if (paced := page.get("with_think_time"))
            else []
        ),
        _row(
            "Reckoner page, 1 user (p50 / p95)",
            f"{page['single_user']['p50_ms']:.0f} / {page['single_user']['p95_ms']:.0f} ms",
            "-",
            "-",
            None,
        ),
    ]


def render_text(table: list[list[str]]) -> str:
    head = ["figure", "ours", "bare DuckDB", "ratio / target", "result"]
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    return "\n".join(lines)


def render_markdown(table: list[list[str]], meta: dict[str, Any]) -> str:
    lines = [
        f"Benchmark ({meta['date']}, {meta['machine']}; scale: {meta['scale']}; "
        f"`make bench`; 1-minute load average up to {meta.get('load_average_max', 0):.1f}, "
        "other work included):",
        "",
        "| figure | ours | bare DuckDB | ratio / target | result |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(c.strip().replace("|", "\\|") for c in r) + " |" for r in table]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forces", type=int, default=len(FORCES), help="forces in the archive")
    parser.add_argument("--months", type=int, default=FULL_MONTHS, help="months in the archive")
    parser.add_argument("--reuse-archive", action="store_true")
    parser.add_argument("--new-force", default="kent")
    parser.add_argument("--page-forces", type=int, default=43)
    parser.add_argument("--page-metrics", type=int, default=60)
    parser.add_argument("--page-months", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="load test duration")
    parser.add_argument(
        "--think", type=float, default=10.0, help="second load run: mean pause per user (s)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile children (slower)")
    args = parser.parse_args(argv)

    full = (args.forces, args.months) == (len(FORCES), FULL_MONTHS)
    # A smaller run gets its own folder, so it never overwrites the full archive.
    archive = OUT / "archive" if full else OUT / f"archive-{args.forces}x{args.months}"
    if not (args.reuse_archive and _archive_shape(archive) == (args.forces, args.months)):
        print(f"== generating archive: {args.forces} forces x {args.months} months", flush=True)
        shutil.rmtree(archive, ignore_errors=True)
        slugs = [slug for slug, _, _ in FORCES][: args.forces]
        summary = generate(archive, forces=slugs, months=month_list("2022-01", args.months))
        print(f"   {summary.rows:,} rows, {summary.files} files in {summary.seconds:.1f} s")
    new_force = args.new_force if full else FORCES[0][0]
    print("== import, metrics, ratings (ours vs bare DuckDB)", flush=True)
    imp = run_import.run(archive, new_force=new_force, profile=args.profile)
    print("== reckoner page under load", flush=True)
    page = load_reckoner.run(
        forces=args.page_forces,
        metrics=args.page_metrics,
        months=args.page_months,
        users=args.users,
        seconds=args.seconds,
        think=args.think,
        profile=args.profile,
    )
    table = build_table(imp, page)
    scale = f"{args.forces} forces x {args.months} months, {imp['rows']:,} rows"
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}",
        "scale": scale + (" (profiled: timings inflated)" if args.profile else ""),
        "load_average_max": max(
            imp["ours"]["load_average"], imp["bare"]["load_average"], os.getloadavg()[0]
        ),
    }
    text = render_text(table)
    print()
    print(text)
    ours_sum = imp["ours"]["inside"].get("checksum")
    bare_sum = imp["bare"]["inside"].get("checksum")
    agree = ours_sum is not None and bare_sum is not None and abs(ours_sum - bare_sum) < 0.5
    meta["figures_agree_with_bare"] = agree
    print(
        f"\nobservations agree with bare DuckDB's aggregates: {'yes' if agree else 'NO'} "
        f"(sums of numerators and denominators {ours_sum} vs {bare_sum})"
    )
    (OUT / "results.json").write_text(
        json.dumps({"meta": meta, "table": table, "import": imp, "page": page}, indent=2) + "\n"
    )
    (OUT / "results.md").write_text(render_markdown(table, meta))
    print(f"\nwritten {OUT / 'results.json'} and {OUT / 'results.md'}")


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
