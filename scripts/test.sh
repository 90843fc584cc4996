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
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "== tests on PostgreSQL"
    DATABASE_URL="$PG_URL" $BIN/python -m pytest -q "$@"
else
    echo "== PostgreSQL not answering on 127.0.0.1:5432: SQLite run only"
fi
