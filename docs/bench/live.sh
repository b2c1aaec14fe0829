#!/usr/bin/env bash
# Live-session load runs on PostgreSQL: one or two fresh `cairn serve` instances, then
# `cairn loadtest live` on the same machine. Prints the tool's summary line and the CPU
# seconds each process used during the run (tool, each server, PostgreSQL backends), which
# shows who the two cores were busy with.
# Needs: go, curl, psql, a local PostgreSQL reachable as $PGURL (default postgres@127.0.0.1,
# trust auth). Usage: bash docs/bench/live.sh [instances=2] [participants=5000] [extra loadtest flags…]
set -euo pipefail
cd "$(dirname "$0")/../.."
instances=${1:-2}
participants=${2:-5000}
shift $(( $# > 2 ? 2 : $# ))
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_livebench" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/cairn" ./cmd/cairn
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_livebench" -c "CREATE DATABASE cairn_livebench" >/dev/null
if [ -n "${STATEMENTS:-}" ]; then # needs pg_stat_statements in shared_preload_libraries
  psql "$PGURL/cairn_livebench" -qc "CREATE EXTENSION pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
fi
export CAIRN_DATABASE_URL="$PGURL/cairn_livebench?sslmode=disable" CAIRN_COURSES_DIR="$PWD/courses"

# utime+stime of a process and its threads, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() { # every PostgreSQL backend and helper process
  local sum=0 p
  for p in $(pgrep -x postgres || true); do sum=$((sum + $(ticks "$p" 2>/dev/null || echo 0))); done
  echo "$sum"
}

urls=()
pids=()
for i in $(seq 1 "$instances"); do
  port=$((18100 + i))
  "$work/cairn" serve --addr "127.0.0.1:$port" --log-level warn 2>"$work/serve$i.log" &
  pids+=($!)
  urls+=(--url "http://127.0.0.1:$port")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.1; done
done

hz=$(getconf CLK_TCK)
before=()
for p in "${pids[@]}"; do before+=("$(ticks "$p")"); done
pg_before=$(pg_ticks)
${TOOL_PREFIX:-} /usr/bin/time -f "tool_cpu_s=%U+%S" "$work/cairn" loadtest live "${urls[@]}" --participants "$participants" \
  --steps 10 --polls 3 "$@" 2>&1 | grep -E "live-loadtest|tool_cpu|error|step |poll opened" || true
i=0
for p in "${pids[@]}"; do
  i=$((i + 1))
  echo "server${i}_cpu_s=$(awk -v a="$(ticks "$p")" -v b="${before[$((i - 1))]}" -v hz="$hz" 'BEGIN{printf "%.2f", (a-b)/hz}')"
done
echo "postgres_cpu_s=$(awk -v a="$(pg_ticks)" -v b="$pg_before" -v hz="$hz" 'BEGIN{printf "%.2f", (a-b)/hz}')"
if [ -n "${STATEMENTS:-}" ]; then
  psql "$PGURL/cairn_livebench" -c "SELECT calls, round(total_exec_time) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
fi
