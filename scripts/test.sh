#!/usr/bin/env bash
# `make test`: the whole suite, browser tests included, on a private PostgreSQL and Redis
# in a fresh temporary folder (so it can run beside `make run`). Extra arguments go to
# pytest, e.g. `make test ARGS="tests/accounts -x"`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_debian_packages redis-server chromium
ensure_postgres_installed
ensure_venv "$ROOT/requirements-dev.txt"

# A fresh folder that the postgres user can reach wherever the project was cloned.
TEST_DATA="$(mktemp -d "${TMPDIR:-/tmp}/livingwell-test.XXXXXX")"
chmod 755 "$TEST_DATA"
mkdir -p "$TEST_DATA/static"
cleanup() {
  pg_stop "$TEST_DATA/postgres"
  redis_stop "$TEST_DATA/redis"
  rm -rf "$TEST_DATA"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT="${LW_TEST_PG_PORT:-5434}"
REDIS_PORT="${LW_TEST_REDIS_PORT:-$(free_port)}"

say "Starting PostgreSQL and Redis for the tests in $TEST_DATA"
pg_start "$TEST_DATA/postgres" "$PG_PORT" fsync=off synchronous_commit=off full_page_writes=off
redis_start "$TEST_DATA/redis" "$REDIS_PORT" --save '' --appendonly no
# The migration check below reads the migration history of DATABASE_URL's database.
pg_createdb "$TEST_DATA/postgres" "$PG_PORT" livingwell

export DATABASE_URL="$(pg_url "$TEST_DATA/postgres" "$PG_PORT" livingwell)"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export LW_TEST_DATA="$TEST_DATA"
export SECRET_KEY="tests-only-secret-key-$(date +%s)-not-for-production-use"
export DEBUG=false STATIC_MANIFEST=false STATIC_ROOT="$TEST_DATA/static"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
export EMAIL_URL="memorymail://"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export PYTHONDONTWRITEBYTECODE=1

if [ -z "${LW_SKIP_LINT:-}" ]; then
  say "Checking code style (ruff) and migrations"
  "$VENV/bin/ruff" check .
  "$PY" manage.py makemigrations --check --dry-run >/dev/null \
    || die "models have changed without a migration: run makemigrations"
fi

say "Running the tests"
"$VENV/bin/pytest" "$@"
