"""Load test of the main pages: 50 signed-in users on loopback for 60 seconds.

Run from the repository root::

    .venv/bin/python bench/load.py                     # 50 users, 60 s
    .venv/bin/python bench/load.py --users 10 --seconds 20

1. A fresh data directory (a temporary folder, SQLite) gets ``vawg init`` (the demo force and
   its real data) and, through ``vawg manage shell``, one account per virtual user with the
   demo user's roles (the Head of PVP, who needs no second factor), so every virtual user
   has a session of its own.
2. ``vawg serve --host 127.0.0.1 --port 8790 --threads 16`` runs in a child process.
3. Each virtual user signs in (CSRF token from the sign-in form, a cookie jar, urllib), then
   for the given time loops over the home page, the framework, an action, a project, the
   ready reckoner and a metric page with no pause (a closed loop).
4. Prints requests, errors (any status but 200, or an exception; the target is 0),
   throughput and p50/p95/p99 per page and overall; stops the server and removes the folder.

Loopback only; every loop is bounded by the clock and by ``--max-requests``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

HOST = "127.0.0.1"
PAGES = (
    "/",
    "/framework/",
    "/actions/nfd21-2.4/",
    "/projects/kaizen/",
    "/reckoner/",
    "/metrics/vso-recorded/",
)
MAX_USERS = 200
MAX_SECONDS = 600
TIMEOUT = 30  # seconds for one request

# Run inside ``vawg manage shell -c``: one account per virtual user, with the demo user's roles.
_MAKE_USERS = """
import os
from django.contrib.auth import get_user_model
from vawg.demo.setup import demo_login
login = demo_login()
User = get_user_model()
demo = User.objects.get(username=login.username)
password = os.environ["LOAD_PASSWORD"]
for i in range(int(os.environ["LOAD_USERS"])):
    user, _ = User.objects.get_or_create(username=f"load-user-{i:03d}")
    user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.set(demo.groups.all())
    user.user_permissions.set(demo.user_permissions.all())
print("users ready")
"""


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


class VirtualUser:
    """One person: a cookie jar, signed in once, then fetching pages in turn."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.username = username
        self.password = password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.ProxyHandler({}),  # loopback: never through a proxy
        )

    def _open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # NOTE: base is always http://127.0.0.1:<port>, built in main(); no other scheme.
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode(errors="replace")

    def sign_in(self) -> None:
        status, _, html = self._open("/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or match is None:
            raise RuntimeError(f"{self.username}: no sign-in form (HTTP {status})")
        fields = {
            "csrfmiddlewaretoken": match.group(1),
            "username": self.username,
            "password": self.password,
        }
        status, url, html = self._open("/login/", fields)
        path = urllib.parse.urlparse(url).path
        if status != 200 or path.startswith("/login"):
            raise RuntimeError(f"{self.username}: sign-in failed (HTTP {status}, at {path})")

    def get(self, path: str) -> int:
        status, url, _ = self._open(path)
        if urllib.parse.urlparse(url).path.startswith("/login"):
            return 401  # sent back to sign in: the session was lost
        return status


def _wait_for_server(base: str, server: subprocess.Popen, log: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                base + "/login/", timeout=2
            ):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {limit:.0f} s")


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    # NOTE: argv is our own command line (this Python running vawg), never user input.
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="virtual users (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="duration (default 60)")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--threads", type=int, default=16, help="server threads (default 16)")
    parser.add_argument(
        "--max-requests", type=int, default=1_000_000, help="stop after this many requests"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be 1 to {MAX_USERS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be 1 to {MAX_SECONDS}")

    data_dir = Path(tempfile.mkdtemp(prefix="vawg-load-"))
    password = secrets.token_urlsafe(18)
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # always the SQLite file of the fresh data directory
    env.update(
        VAWG_DATA_DIR=str(data_dir),
        VAWG_LOG_LEVEL="WARNING",
        LOAD_PASSWORD=password,
        LOAD_USERS=str(args.users),
    )
    vawg = [sys.executable, "-m", "vawg.cli"]
    server = None
    try:
        started = time.perf_counter()
        _run([*vawg, "init"], env, "vawg init")
        _run([*vawg, "manage", "shell", "-c", _MAKE_USERS], env, "creating the users")
        print(f"data directory {data_dir} ready in {time.perf_counter() - started:.1f} s")

        log = data_dir / "server.log"
        with log.open("wb") as out:
            serve = [*vawg, "serve", "--host", HOST, "--port", str(args.port)]
            server = subprocess.Popen(  # noqa: S603 - our own command line, as above
                [*serve, "--threads", str(args.threads)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://{HOST}:{args.port}"
        _wait_for_server(base, server, log, 120)

        users = [VirtualUser(base, f"load-user-{i:03d}", password) for i in range(args.users)]
        started = time.perf_counter()
        for user in users:
            user.sign_in()
        print(f"{len(users)} users signed in in {time.perf_counter() - started:.1f} s")
        _load(users, args.seconds, args.max_requests, args.threads)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if args.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _load(users: list[VirtualUser], seconds: float, max_requests: int, threads: int) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    lock = threading.Lock()
    issued = 0
    start = time.perf_counter()
    stop_at = start + seconds

    def loop(user: VirtualUser, offset: int) -> None:
        nonlocal issued
        step = offset
        while time.perf_counter() < stop_at:
            with lock:
                if issued >= max_requests:
                    return
                issued += 1
            path = PAGES[step % len(PAGES)]
            step += 1
            began = time.perf_counter()
            try:
                status = user.get(path)
            except Exception as exc:  # every failure counts, whatever it is
                status = type(exc).__name__
            took = time.perf_counter() - began
            with lock:
                timings[path].append(took)
                if status != 200:
                    errors[(path, status)] += 1

    workers = [
        threading.Thread(target=loop, args=(user, i), daemon=True) for i, user in enumerate(users)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + TIMEOUT + 5)
    elapsed = time.perf_counter() - start

    every = sorted(t for values in timings.values() for t in values)
    total_errors = sum(errors.values())
    print(
        f"\n{len(users)} users, {elapsed:.1f} s, server threads {threads}: "
        f"{len(every)} requests, {total_errors} errors (target 0), "
        f"{len(every) / elapsed:.1f} requests/s"
    )
    print(f"{'page':<26}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    rows = [(path, sorted(timings[path])) for path in PAGES] + [("all pages", every)]
    for path, values in rows:
        failed = (
            total_errors
            if path == "all pages"
            else sum(n for (p, _), n in errors.items() if p == path)
        )
        print(
            f"{path:<26}{len(values):>9}{failed:>8}"
            f"{_percentile(values, 0.50) * 1000:>9.0f}"
            f"{_percentile(values, 0.95) * 1000:>9.0f}"
            f"{_percentile(values, 0.99) * 1000:>9.0f}"
        )
    for (path, status), count in sorted(errors.items(), key=str):
        print(f"  error: {path} -> {status} x {count}")


if __name__ == "__main__":
    main()
