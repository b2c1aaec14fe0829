#!/usr/bin/env bash
# Live-session load runs: one or two fresh `cairn serve` instances, then `cairn loadtest live`
# on the same machine. Prints the tool's latency per event and summary line, and the CPU
# seconds each process used during the run (tool, each server, PostgreSQL), which shows who
# the two cores were busy with.
#
# Usage: bash docs/bench/live.sh [instances=2] [participants=5000] [extra loadtest flags…]
#   DB=sqlite          SQLite in a temporary data directory (one instance) instead of PostgreSQL
#   PGURL=…            PostgreSQL server (default postgres://postgres@127.0.0.1:5432, trust auth)
#   STATEMENTS=1       print the top statements (needs pg_stat_statements preloaded)
#   SERVER_PREFIX=…    command prefix for the servers, e.g. "nice -n 10"
#   TOOL_PREFIX=…      command prefix for the load tool, e.g. "nice -n -10" (root)
#   SERVE_LOG_DIR=…    keep the servers' stderr there
# Needs: go, curl, psql (PostgreSQL runs), GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
instances=${1:-2}
participants=${2:-5000}
shift $(($# > 2 ? 2 : $#))
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  [ "${DB:-}" = sqlite ] || psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_livebench" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/cairn" ./cmd/cairn
export CAIRN_COURSES_DIR="$PWD/courses"
if [ "${DB:-}" = sqlite ]; then
  instances=1
  export CAIRN_DATA_DIR="$work/data"
else
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_livebench" -c "CREATE DATABASE cairn_livebench" >/dev/null 2>&1
  if [ -n "${STATEMENTS:-}" ]; then
    psql "$PGURL/cairn_livebench" -qc "CREATE EXTENSION pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
  fi
  export CAIRN_DATABASE_URL="$PGURL/cairn_livebench?sslmode=disable"
fi

# utime+stime of a process and its threads, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { # every PostgreSQL backend and helper process
  local sum=0 p
  for p in $(pgrep -x postgres || true); do sum=$((sum + $(ticks "$p"))); done
  echo "$sum"
}
seconds() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (a-b)/hz}'; }

urls=()
pids=()
for i in $(seq 1 "$instances"); do
  port=$((18100 + i))
  ${SERVER_PREFIX:-} "$work/cairn" serve --addr "127.0.0.1:$port" --log-level warn 2>"${SERVE_LOG_DIR:-$work}/serve$i.log" &
  pids+=($!)
  urls+=(--url "http://127.0.0.1:$port")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.1; done
done

before=()
for p in "${pids[@]}"; do before+=("$(ticks "$p")"); done
pg_before=$(pg_ticks)
GODEBUG=gcshrinkstackoff=1 ${TOOL_PREFIX:-} /usr/bin/time -f "tool_cpu_s=%U+%S" "$work/cairn" loadtest live "${urls[@]}" --participants "$participants" \
  --steps 10 --polls 3 "$@" 2>&1 | grep -E "live-loadtest|tool_cpu|error|failed|step |poll opened|reads carried" || true
for i in "${!pids[@]}"; do
  echo "server$((i + 1))_cpu_s=$(seconds "$(ticks "${pids[$i]}")" "${before[$i]}")"
done
[ "${DB:-}" = sqlite ] || echo "postgres_cpu_s=$(seconds "$(pg_ticks)" "$pg_before")"
if [ -n "${STATEMENTS:-}" ]; then
  psql "$PGURL/cairn_livebench" -c "SELECT calls, round(total_exec_time) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
fi
