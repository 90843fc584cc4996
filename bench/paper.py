"""Time the demo board paper: `vawg paper` as a person runs it, PDF and Word.

Run from the repository root: ``.venv/bin/python bench/paper.py [--runs 3]``. It builds a
fresh demo data directory with ``vawg init`` (not timed), then runs the real command several
times for each format and prints wall and CPU seconds, the command's own build-and-render
seconds (start-up excluded: what the paper page spends), peak memory and page count. Target
(issue 4): the PDF paper built in under 5 seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from _common import VAWG, bench_env, run_measured

TARGET_SECONDS = 5.0
PAPER_ARGS = [
    "paper",
    "--force",
    "cambridgeshire",
    "--board",
    "Business Coordination Board",
    "--date",
    "2022-04-26",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per format (default 3)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="vawg-bench-paper-"))
    try:
        env = bench_env(data_dir)
        run_measured([str(VAWG), "init"], env).check()
        print(
            f"{'format':<6} {'wall s (median)':>16} {'build s':>8} {'cpu s':>7} {'peak MB':>8} "
            f"{'pages':>6}"
        )
        for fmt in ("pdf", "docx"):
            output = data_dir / f"paper.{fmt}"
            runs = [
                run_measured(
                    [str(VAWG), *PAPER_ARGS, "--format", fmt, "--output", str(output)], env
                ).check()
                for _ in range(args.runs)
            ]
            wall = statistics.median(r.seconds for r in runs)
            # What the paper page spends: the command's own figure, start-up excluded.
            build = statistics.median(_built_in(r.stdout) for r in runs)
            cpu = statistics.median(r.cpu_seconds for r in runs)
            peak = max(r.peak_rss_mb for r in runs)
            pages = _pdf_pages(output) if fmt == "pdf" else "-"
            verdict = ""
            if fmt == "pdf":
                verdict = "pass" if wall < TARGET_SECONDS else "FAIL"
                verdict = f"  target < {TARGET_SECONDS:.0f} s: {verdict}"
            print(
                f"{fmt:<6} {wall:>16.2f} {build:>8.2f} {cpu:>7.2f} {peak:>8.0f} {pages!s:>6}"
                f"{verdict}"
            )
        print(f"load average at the end: {runs[-1].load_average:.2f}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _built_in(stdout: str) -> float:
    """The seconds ``vawg paper`` reports for building and rendering ("Wrote F (N bytes, S s)")."""
    match = re.search(r"bytes, ([0-9.]+) s\)", stdout)
    return float(match[1]) if match else float("nan")


def _pdf_pages(path: Path) -> int | str:
    if shutil.which("pdfinfo") is None:
        return "?"
    # A fixed argv and poppler from PATH, as the test set-up installs it.
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


if __name__ == "__main__":
    main()
