#!/usr/bin/env bash
# Cohort dashboard at scale: a fresh `cairn serve`, then `cairn loadtest dashboard`, which
# seeds a cohort of N learners with progress into the server's database and times, as the
# trainer, the CSV export (with the server's peak memory after it) and the dashboard's first
# page by name, by progress and a search, each read plainly and with gzip. Prints the tool's
# summary line and the server's CPU seconds.
#
# Usage: bash docs/bench/dashboard.sh [learners=50000]
#   DB=sqlite   SQLite in a temporary data directory instead of PostgreSQL
#   PGURL=…     PostgreSQL server (default postgres://postgres@127.0.0.1:5432, trust auth)
# Needs: go, curl, psql (PostgreSQL runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
learners=${1:-50000}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ "${DB:-}" = sqlite ] || psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_dashbench" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/cairn" ./cmd/cairn
export CAIRN_COURSES_DIR="$PWD/courses"
if [ "${DB:-}" = sqlite ]; then
  export CAIRN_DATA_DIR="$work/data"
else
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_dashbench" -c "CREATE DATABASE cairn_dashbench" >/dev/null 2>&1
  export CAIRN_DATABASE_URL="$PGURL/cairn_dashbench?sslmode=disable"
fi
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

port=18190
"$work/cairn" serve --addr "127.0.0.1:$port" --log-level warn 2>"$work/serve.log" &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.1; done
before=$(ticks "$pid")
"$work/cairn" loadtest dashboard --url "http://127.0.0.1:$port" --learners "$learners" 2>&1
echo "server_cpu_s=$(awk -v a="$(ticks "$pid")" -v b="$before" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (a-b)/hz}') (seeding is the tool's, not the server's)"
