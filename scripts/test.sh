#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite, then again on PostgreSQL where a server
# answers on 127.0.0.1:5432 (trust auth, database `test`), as production runs on it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

scripts/install-test-tools.sh

echo "== lint"
$BIN/ruff check .
$BIN/ruff format --check .

# Tests get a data directory of their own, never the user's.
VAWG_DATA_DIR="$(mktemp -d)"
export VAWG_DATA_DIR
trap 'rm -rf "$VAWG_DATA_DIR"' EXIT

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/python -m pytest -q "$@"

PG_URL="${VAWG_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

# Whether a PostgreSQL server accepts connections at $PG_URL. Asked through libpq's ping in
# the venv's psycopg rather than `pg_isready`, which a fresh machine may not have installed:
# the PostgreSQL run must not be skipped just because the client tools are missing. Like
# pg_isready it needs no password and no existing database (the tests create their own).
postgres_answers() {
    $BIN/python - "$PG_URL" <<'PY'
import sys

from psycopg import pq
from psycopg.conninfo import make_conninfo

try:
    conninfo = make_conninfo(sys.argv[1], connect_timeout=3)
except Exception:  # the URL itself is wrong: an error to fix, not a server that is away
    print("== VAWG_TEST_POSTGRES_URL is not a valid PostgreSQL URL", file=sys.stderr)
    sys.exit(2)
sys.exit(0 if pq.PGconn.ping(conninfo.encode()) == pq.Ping.OK else 1)
PY
}

probe=0
postgres_answers || probe=$?
if [ "$probe" -eq 0 ]; then
    echo "== tests on PostgreSQL"
    DATABASE_URL="$PG_URL" $BIN/python -m pytest -q "$@"
elif [ "$probe" -eq 1 ]; then
    echo "== no PostgreSQL server answering at VAWG_TEST_POSTGRES_URL (default 127.0.0.1:5432):"
    echo "   SQLite run only"
else
    exit "$probe"
fi
