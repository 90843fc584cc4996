"""Writing every generated extract: :func:`generate` and its command line, :func:`main`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from vawg.demo.generator.common import (
    Record,
    _month_range,
    _write,
)
from vawg.demo.generator.domestic_abuse import _domestic_abuse
from vawg.demo.generator.finalised_crimes import _finalised_crimes
from vawg.demo.generator.missing_episodes import _missing_episodes
from vawg.demo.generator.national_outcomes import _national_outcomes
from vawg.demo.generator.protective_orders import _protective_orders
from vawg.demo.generator.referrals import _clares_law, _marac, _partner_referrals
from vawg.demo.generator.workforce import _specialist_staff, _victim_feedback
from vawg.extracts.templates import TEMPLATES

# The package's logger, as before the generator was split into modules.
logger = logging.getLogger("vawg.demo.generator")

DEFAULT_SEED = 2022


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    start: str = "2020-04",
    end: str = "2022-03",
) -> dict[str, Path]:
    """Write one generated CSV per extract template into ``out_dir``; returns slug -> path.

    Files are named ``<slug>.csv`` (so ``vawg.extracts.detect_template`` recognises them).
    The same ``seed``, ``start`` and ``end`` always give byte-identical files.
    """
    months = _month_range(start, end)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    incidents, crimes = _domestic_abuse(months, seed)
    finalised = _finalised_crimes(months, seed, crimes)
    builders: dict[str, Callable[[], list[Record]]] = {
        "da-incidents": lambda: incidents,
        "da-crimes": lambda: crimes,
        "protective-orders": lambda: _protective_orders(months, seed),
        "clares-law": lambda: _clares_law(months, seed),
        "marac-referrals": lambda: _marac(months, seed),
        "missing-episodes": lambda: _missing_episodes(months, seed),
        "finalised-crimes": lambda: finalised,
        "specialist-staff": lambda: _specialist_staff(months, seed),
        "victim-feedback": lambda: _victim_feedback(months, seed),
        "partner-referrals": lambda: _partner_referrals(months, seed),
        # Every force's outcomes: the demo force's own counted from its finalised crimes.
        "national-outcomes": lambda: _national_outcomes(months, seed, finalised),
    }
    paths: dict[str, Path] = {}
    for slug in TEMPLATES:
        records = builders[slug]()
        path = out_dir / f"{slug}.csv"
        _write(path, slug, records)
        paths[slug] = path
        logger.info("generated %s: %d records", path.name, len(records))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vawg.demo.generator OUT_DIR [--seed N] [--start YYYY-MM] [--end YYYY-MM]``."""
    parser = argparse.ArgumentParser(
        prog="python -m vawg.demo.generator",
        description="Write generated (invented) force system extracts for the demo force.",
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default="2020-04", help="first month, YYYY-MM")
    parser.add_argument("--end", default="2022-03", help="last month, YYYY-MM")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out_dir, seed=args.seed, start=args.start, end=args.end)
    except ValueError as exc:
        parser.error(str(exc))
    for slug, path in paths.items():
        with path.open(encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
        print(f"{slug:20} {rows:7,d} rows  {path}")
    return 0
