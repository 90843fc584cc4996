"""Load test of the ready reckoner page: 50 concurrent users on loopback.

Run from the repository root::

    .venv/bin/python bench/load_reckoner.py                    # 43 x 60 x 60, 50 users, 30 s
    .venv/bin/python bench/load_reckoner.py --users 10 --seconds 10 --profile

1. In a child process, a fresh data directory ``bench/out/reckoner-data`` (SQLite) is
   migrated and loaded through the Django ORM with 43 forces x 60 metrics (group "bench") x
   60 months of synthetic observations (random walks, some with shifts and trends, so the
   ratings raise real signals), plus a user with the board member role. The child also
   times ``build_reckoner`` in-process (no HTTP) and, with ``--profile``, profiles page
   renders with Django's test client.
2. waitress serves the WSGI app on 127.0.0.1:8765 with 8 threads (as ``vawg serve``) in
   another child process.
3. This process signs in once (CSRF token from the sign-in form, ``http.client``, no
   third-party client), then runs N worker threads for a bounded time, each on its own
   keep-alive connection, fetching ``/reckoner/?month=YYYY-MM`` for random months with no
   think time (a closed loop: every user always has a request in flight).

The page shows the first force (``current_force``); ``?force=slug`` is sent too, so the load
spreads over forces as soon as the page honours it. Loopback only; the server is stopped
at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    OUT,
    PYTHON,
    VENV_BIN,
    bench_env,
    peak_rss_of_running,
    print_profile,
    run_measured,
)
from generate_archive import FORCES, month_list

HOST = "127.0.0.1"
PORT = 8765
USERNAME = "bench"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway account on loopback
FIRST_MONTH = "2020-01"


# --- the loading child ----------------------------------------------------------------


def load(forces: int, metrics: int, months: int, seed: int, profile: Path | None) -> dict[str, Any]:
    """Fill the (empty, migrated) database; time build_reckoner in-process. Runs in a child."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from vawg.metrics.models import Metric, Observation
    from vawg.metrics.reckoner import build_reckoner
    from vawg.strategy.models import Force

    timings: dict[str, Any] = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate_s"] = time.perf_counter() - started
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    periods = month_list(FIRST_MONTH, months)
    started = time.perf_counter()
    with transaction.atomic():
        force_rows = Force.objects.bulk_create(
            [Force(slug=slug, name=name) for slug, name, _ in FORCES[:forces]]
        )
        metric_rows = Metric.objects.bulk_create(
            [
                Metric(
                    code=f"bench-{number:02d}",
                    title=f"Benchmark metric {number}",
                    group="bench",
                    group_title="Benchmark metrics",
                    position=number,
                    unit="percent" if number % 2 else "count",
                    polarity=("up", "down", "neither")[number % 3],
                    source="bench/load_reckoner.py (synthetic)",
                    dataset="street",
                    formula="Synthetic series for the load test.",
                    query="SELECT NULL AS force, NULL AS month, 0 AS numerator, "
                    "NULL AS denominator WHERE false",
                    target=(50.0 if number % 2 else 400.0) if number % 4 < 2 else None,
                    screen_outliers=number % 5 == 0,
                    min_points=15,
                    data_quality_note="Synthetic.",
                )
                for number in range(1, metrics + 1)
            ]
        )
        batch: list[Observation] = []
        for force in force_rows:
            for metric in metric_rows:
                percent = metric.unit == "percent"
                level = rng.uniform(30, 70) if percent else rng.uniform(200, 600)
                spread = level * rng.uniform(0.03, 0.12)
                shift_at = rng.randrange(months) if rng.random() < 0.3 else months
                shift = spread * rng.choice((-3, 3))
                trend = spread * rng.uniform(-0.1, 0.1) if rng.random() < 0.2 else 0.0
                for i, period in enumerate(periods):
                    value = level + trend * i + (shift if i >= shift_at else 0.0)
                    value = max(0.0, value + rng.gauss(0, spread))
                    if percent:
                        value = min(value, 100.0)
                        denominator = float(rng.randint(800, 1200))
                        numerator = round(value * denominator / 100)
                        value = 100.0 * numerator / denominator
                    else:
                        value = float(round(value))
                        numerator, denominator = value, None
                    batch.append(
                        Observation(
                            metric=metric,
                            force=force,
                            period=period,
                            value=value,
                            numerator=numerator,
                            denominator=denominator,
                        )
                    )
                if len(batch) >= 20_000:
                    Observation.objects.bulk_create(batch, batch_size=5000)
                    batch.clear()
        Observation.objects.bulk_create(batch, batch_size=5000)
        user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
        try:  # roles decide who reads what; a board member reads the reckoner
            from vawg.accounts.roles import BOARD_MEMBER, assign_role
        except ImportError:  # before roles existed every signed-in user could
            pass
        else:
            assign_role(user, BOARD_MEMBER)
    timings["load_s"] = time.perf_counter() - started
    timings["observations"] = Observation.objects.count()

    # In-process cost of the reckoner for the page's force, every month, no HTTP.
    first = Force.objects.order_by("pk").first()
    started = time.perf_counter()
    for period in periods:
        build_reckoner(first, period)
    timings["build_reckoner_ms"] = 1000 * (time.perf_counter() - started) / len(periods)
    latest = periods[-1]
    started = time.perf_counter()
    for _ in range(5):
        build_reckoner(first, latest)
    timings["build_reckoner_latest_ms"] = 1000 * (time.perf_counter() - started) / 5

    # The whole page through Django (middleware, view, template), no network.
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    client.force_login(get_user_model().objects.get(username=USERNAME))
    url = f"/reckoner/?month={latest}"
    if client.get(url).status_code != 200:
        raise SystemExit(f"{url} did not answer 200 in-process")
    started = time.perf_counter()
    for _ in range(5):
        client.get(url)
    timings["page_in_process_ms"] = 1000 * (time.perf_counter() - started) / 5
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        for period in periods[-10:]:
            client.get(f"/reckoner/?month={period}")
        profiler.disable()
        profiler.dump_stats(str(profile))
    return timings


# --- the HTTP client ------------------------------------------------------------------


class _Session:
    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def remember(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


def _sign_in(session: _Session) -> None:
    """GET the sign-in form for its CSRF token, then POST the credentials."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        body = response.read().decode()
        session.remember(response)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if match is None:
            raise SystemExit("no CSRF token in the sign-in form")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match[1], "username": USERNAME, "password": PASSWORD}
        )
        conn.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": session.header(),
                "Referer": f"http://{HOST}:{PORT}/login/",
            },
        )
        response = conn.getresponse()
        response.read()
        session.remember(response)
        if response.status != 302 or "sessionid" not in session.cookies:
            raise SystemExit(f"sign-in failed: HTTP {response.status}")
    finally:
        conn.close()


def _wait_for_server(proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before answering")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def _worker(
    number: int,
    session: _Session,
    months: list[str],
    forces: list[str],
    deadline: float,
    latencies: list[float],
    errors: list[str],
    think: float = 0.0,
) -> None:
    rng = random.Random(number)  # noqa: S311 - synthetic load
    cookie = session.header()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    if think > 0:
        # Readers arrive over the first pause rather than all at the same instant; otherwise
        # the opening burst of 50 simultaneous requests is what the percentiles measure.
        time.sleep(rng.uniform(0, think))
    try:
        while time.perf_counter() < deadline:
            url = f"/reckoner/?month={rng.choice(months)}&force={rng.choice(forces)}"
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{url}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
                continue
            elapsed = time.perf_counter() - started
            if response.status != 200 or b"Ready reckoner" not in body:
                errors.append(f"{url}: HTTP {response.status}")
            else:
                latencies.append(elapsed)
            if think > 0:
                # A reader's pause between pages (exponential, mean `think` seconds).
                time.sleep(
                    min(rng.expovariate(1 / think), max(0.0, deadline - time.perf_counter()))
                )
    finally:
        conn.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _summarise(latencies: list[float], seconds: float, errors: list[str]) -> dict[str, Any]:
    ms = [1000 * x for x in latencies]
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": seconds,
        "throughput_rps": len(latencies) / seconds if seconds else 0.0,
        "p50_ms": _percentile(ms, 50),
        "p95_ms": _percentile(ms, 95),
        "p99_ms": _percentile(ms, 99),
        "mean_ms": statistics.fmean(ms) if ms else float("nan"),
        "max_ms": max(ms) if ms else float("nan"),
    }


def _concurrent(
    users: int,
    seconds: float,
    think: float,
    session: _Session,
    months: list[str],
    forces: list[str],
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    deadline = started + seconds
    workers = [
        threading.Thread(
            target=_worker,
            args=(n, session, months, forces, deadline, latencies, errors, think),
        )
        for n in range(users)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 120)
    return _summarise(latencies, time.perf_counter() - started, errors)


def _report(label: str, result: dict[str, Any]) -> None:
    print(
        f"  {label}: {result['requests']} requests, {result['errors']} errors, "
        f"{result['throughput_rps']:.1f} req/s, p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms",
        flush=True,
    )


def run(
    *,
    forces: int = 43,
    metrics: int = 60,
    months: int = 60,
    users: int = 50,
    seconds: float = 30.0,
    threads: int = 8,
    think: float = 0.0,
    seed: int = 1,
    profile: bool = False,
) -> dict[str, Any]:
    """Load the data, serve it, hammer the page; the figures.

    The headline is a closed loop (every user always waiting for a page). With ``think`` > 0
    a second run gives each user a pause between pages (exponential, mean ``think`` s).
    """
    data = OUT / "reckoner-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = bench_env(data, VAWG_ALLOWED_HOSTS=f"localhost,{HOST}")
    prof = OUT / "profiles" / "reckoner-page.prof" if profile else None
    if prof is not None:
        prof.parent.mkdir(parents=True, exist_ok=True)
    argv = [PYTHON, __file__, "--load-only", str(forces), str(metrics), str(months), str(seed)]
    if prof is not None:
        argv.append(str(prof))
    loaded = run_measured(argv, env).check()
    print(
        f"  loaded {loaded.data['observations']:,} observations in "
        f"{loaded.data['load_s']:.1f} s; build_reckoner {loaded.data['build_reckoner_ms']:.1f} "
        f"ms (latest month {loaded.data['build_reckoner_latest_ms']:.1f} ms), whole page "
        f"in-process {loaded.data['page_in_process_ms']:.1f} ms",
        flush=True,
    )
    if prof is not None:
        print("\n===== cProfile: 10 reckoner pages in-process =====")
        print(print_profile(prof, 30))

    server_log = OUT / "reckoner-server.log"
    server = subprocess.Popen(  # noqa: S603 - our own venv's waitress, loopback only
        [
            str(VENV_BIN / "waitress-serve"),
            f"--listen={HOST}:{PORT}",
            f"--threads={threads}",
            "vawg.config.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, never an unread pipe: a full pipe would block the server mid-run.
        stderr=server_log.open("wb"),
    )
    try:
        _wait_for_server(server)
        session = _Session()
        _sign_in(session)
        month_names = month_list(FIRST_MONTH, months)
        force_slugs = [slug for slug, _, _ in FORCES[:forces]]
        # One user, serially: the page's latency without queueing (also warms the caches).
        latencies: list[float] = []
        errors: list[str] = []
        started = time.perf_counter()
        _worker(-1, session, month_names, force_slugs, started + 5, latencies, errors)
        single = _summarise(latencies, time.perf_counter() - started, errors)
        print(
            f"  1 user, 5 s: {single['requests']} requests, p50 {single['p50_ms']:.0f} ms, "
            f"p95 {single['p95_ms']:.0f} ms",
            flush=True,
        )
        loaded_result = _concurrent(users, seconds, 0.0, session, month_names, force_slugs)
        _report(f"{users} users, no think time, {seconds:.0f} s", loaded_result)
        paced = None
        if think > 0:
            paced = _concurrent(users, seconds, think, session, month_names, force_slugs)
            _report(f"{users} users, {think:g} s mean think time, {seconds:.0f} s", paced)
    finally:
        server_rss = peak_rss_of_running(server.pid)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"  server peak RSS {server_rss:.0f} MB", flush=True)
    shutil.rmtree(data, ignore_errors=True)
    return {
        "forces": forces,
        "metrics": metrics,
        "months": months,
        "users": users,
        "server_threads": threads,
        "in_process": loaded.data,
        "single_user": single,
        "concurrent": loaded_result,
        "think_s": think,
        "with_think_time": paced,
        "server_peak_rss_mb": server_rss,
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--load-only":
        forces, metrics, months, seed = (int(x) for x in argv[1:5])
        profile = Path(argv[5]) if len(argv) > 5 else None
        sys.stdout.write(json.dumps(load(forces, metrics, months, seed, profile)) + "\n")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forces", type=int, default=43)
    parser.add_argument("--metrics", type=int, default=60)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument(
        "--think", type=float, default=0.0, help="also run with this mean think time (s)"
    )
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    result = run(
        forces=args.forces,
        metrics=args.metrics,
        months=args.months,
        users=args.users,
        seconds=args.seconds,
        threads=args.threads,
        think=args.think,
        profile=args.profile,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
