#!/usr/bin/env bash
# Cairn against the floor: the bare relay of docs/bench/relay, then Cairn on SQLite, then
# Cairn on one PostgreSQL instance — each freshly started, driven back to back by the same
# `cairn loadtest live` with the same participants — so Cairn's latency is read as a ratio
# to the relay's in the same run, not only as an absolute number on a shared machine.
# Prints, for each: the load average before the run, the tool's summary line and the CPU
# seconds the server used; then Cairn's read and arrival p99 divided by the relay's, and
# Cairn's peak RSS. Everything listens on loopback.
#
# Usage: bash docs/bench/compare.sh [participants=10000] [extra loadtest flags…]
#   TARGETS="relay sqlite postgres"  which servers, in this order (relay must be among them
#                                    for the ratios)
#   PGURL=…          PostgreSQL server (default postgres://postgres@127.0.0.1:5432, trust auth)
#   PROFILE_DIR=…    profile each Cairn server (on a loopback --debug-addr, off otherwise):
#                    a heap profile and its text form once every participant is connected,
#                    then a CPU profile of the next PROFILE_SECONDS (default 15) — the
#                    steps and polls
#   RUN_TIMEOUT=…    seconds one tool run may take (default 300)
#   DETAIL=1         also print the tool's line for each event (read and arrival p50/p99)
#   ROUNDS=N         run the targets N times, interleaved (relay, sqlite, postgres, relay, …),
#                    print each round's ratios, then the median of each target's p99 over the
#                    rounds and its ratio to the relay's median: one run's ratio moves by a
#                    fifth either way on a shared two-core machine, the medians much less
# Besides the whole run's server CPU, window_cpu_s is the CPU the server used from the moment
# the tool had connected everyone to the end: the syncing, steps and polls (and leaving).
# For PostgreSQL on this machine, db_window_cpu_s is what its processes used in that window.
# Needs: go, curl, psql (PostgreSQL), awk.
set -euo pipefail
cd "$(dirname "$0")/../.."
participants=${1:-10000}
shift $(($# > 1 ? 1 : $#))
TARGETS=${TARGETS:-relay sqlite postgres}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
export PGOPTIONS="-c client_min_messages=warning"
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
ROUNDS=${ROUNDS:-1}
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
work=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  case " $TARGETS " in *" postgres "*)
    psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_compare" >/dev/null 2>&1 || true ;;
  esac
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/cairn" ./cmd/cairn
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/relay" ./docs/bench/relay
unset CAIRN_DATABASE_URL CAIRN_DATA_DIR # each run names its database itself
export CAIRN_COURSES_DIR="$PWD/courses"
[ -z "${PROFILE_DIR:-}" ] || mkdir -p "$PROFILE_DIR"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the CPU ticks of every local PostgreSQL process (0 if PostgreSQL runs elsewhere): on one
# machine the database's work for Cairn competes for the same cores as the server's
# (a backend that ended counts in the postmaster's children's time, fields 16 and 17)
pgticks() { for p in $(pgrep -u postgres 2>/dev/null); do awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
seconds() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (a-b)/hz}'; }
# waits at most 60 s for a URL to answer 200
ready() { for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# profile TARGET DEBUGURL: once the tool has connected everyone, heap then CPU.
profile() {
  for _ in $(seq 1200); do grep -q "connected .* participants" "$work/$1.$round.log" 2>/dev/null && break; sleep 0.1; done
  curl -sf -o "$PROFILE_DIR/$1-heap.pb.gz" "$2/debug/pprof/heap" || true
  curl -sf -o "$PROFILE_DIR/$1-heap.txt" "$2/debug/pprof/heap?debug=1" || true
  curl -sf -o "$PROFILE_DIR/$1-cpu.pb.gz" "$2/debug/pprof/profile?seconds=$PROFILE_SECONDS" || true
}

# field FILE NAME: a number from a summary line
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$1" 2>/dev/null | head -1; }
# ratios ROUND: each Cairn target's p99 and RSS against the relay's of the same round
ratios() {
  [ -s "$work/relay.$1.out" ] || return 0
  echo "== ratios to the relay, round $1 (target at 10,000: read p99 <= 1.25, RSS <= 300 MB; at 5,000: <= 1)"
  for target in $TARGETS; do
    [ "$target" != relay ] && [ -s "$work/$target.$1.out" ] || continue
    awk -v t="$target" -v n="$participants" -v r="$(field "$work/relay.$1.out" p99_ms)" -v c="$(field "$work/$target.$1.out" p99_ms)" \
      -v ra="$(field "$work/relay.$1.out" arrival_p99_ms)" -v ca="$(field "$work/$target.$1.out" arrival_p99_ms)" \
      -v rr="$(field "$work/relay.$1.out" server_rss_mb)" -v cr="$(field "$work/$target.$1.out" server_rss_mb)" \
      'BEGIN{printf "compare participants=%d target=%s read_p99_ratio=%.2f arrival_p99_ratio=%.2f cairn_p99_ms=%s relay_p99_ms=%s cairn_rss_mb=%s relay_rss_mb=%s\n", n, t, c/r, (ra>0?ca/ra:0), c, r, cr, rr}'
  done
}
# median NAME TARGET: the median over the rounds of one summary number
median() {
  for f in "$work/$2".*.out; do field "$f" "$1"; done | sort -n |
    awk '{v[NR]=$1} END{if (NR==0) exit; if (NR%2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'
}

for round in $(seq "$ROUNDS"); do
  for target in $TARGETS; do
    port=18200
    flags=(--url "http://127.0.0.1:$port")
    dbg=()
    [ -z "${PROFILE_DIR:-}" ] || dbg=(--debug-addr "127.0.0.1:18290")
    case $target in
    relay)
      "$work/relay" -addr "127.0.0.1:$port" >/dev/null 2>"$work/relay.err" &
      flags+=(--relay)
      ;;
    sqlite)
      CAIRN_DATA_DIR="$work/data.$round" "$work/cairn" serve --addr "127.0.0.1:$port" --log-level warn "${dbg[@]}" >/dev/null 2>"$work/serve-$target.err" &
      flags+=(--data-dir "$work/data.$round")
      ;;
    postgres)
      psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_compare" -c "CREATE DATABASE cairn_compare" >/dev/null
      CAIRN_DATABASE_URL="$PGURL/cairn_compare?sslmode=disable" "$work/cairn" serve --addr "127.0.0.1:$port" --log-level warn "${dbg[@]}" >/dev/null 2>"$work/serve-$target.err" &
      flags+=(--database-url "$PGURL/cairn_compare?sslmode=disable")
      ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    server=$!
    ready "http://127.0.0.1:$port/readyz"
    prof=
    if [ -n "${PROFILE_DIR:-}" ] && [ "$target" != relay ]; then
      profile "$target" "http://127.0.0.1:18290" &
      prof=$!
    fi
    before=$(ticks "$server")
    # the server's CPU ticks once every participant is connected (the window's start)
    ( for _ in $(seq 3000); do grep -q "connected .* participants" "$work/$target.$round.log" 2>/dev/null && break; sleep 0.1; done
      ticks "$server" >"$work/$target.$round.connected"
      pgticks >"$work/$target.$round.pgconnected" ) &
    watcher=$!
    echo "== $target (round $round of $ROUNDS): participants=$participants loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    # gcshrinkstackoff: the tool's participants keep the stacks they grew before measuring
    # (app/loadtest/run.go, reserveStack); it is the tool's setting, not the server's
    GODEBUG=gcshrinkstackoff=1 timeout "$RUN_TIMEOUT" "$work/cairn" loadtest live "${flags[@]}" --participants "$participants" --steps 10 --polls 3 "$@" \
      >"$work/$target.$round.out" 2>"$work/$target.$round.log" || echo "$target: load tool failed or timed out (exit $?)"
    grep -E "error|failed|acknowledged" "$work/$target.$round.log" || true
    [ -z "${DETAIL:-}" ] || grep -E "^loadtest: (step|poll opened) " "$work/$target.$round.log" || true
    cat "$work/$target.$round.out"
    after=$(ticks "$server")
    wait "$watcher" 2>/dev/null || true
    db=
    [ "$target" != postgres ] || db=" db_window_cpu_s=$(seconds "$(pgticks)" "$(cat "$work/$target.$round.pgconnected" 2>/dev/null || echo 0)")"
    echo "server_cpu_s=$(seconds "$after" "$before") window_cpu_s=$(seconds "$after" "$(cat "$work/$target.$round.connected" 2>/dev/null || echo "$before")")$db loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)"
    [ -z "$prof" ] || wait "$prof" || true
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  done

  ratios "$round"
done

if [ "$ROUNDS" -gt 1 ] && [ -n "$(median p99_ms relay)" ]; then
  echo "== medians over $ROUNDS rounds"
  for target in $TARGETS; do
    [ "$target" != relay ] || continue
    awk -v t="$target" -v n="$participants" -v k="$ROUNDS" -v r="$(median p99_ms relay)" -v c="$(median p99_ms "$target")" \
      -v ra="$(median arrival_p99_ms relay)" -v ca="$(median arrival_p99_ms "$target")" \
      -v cr="$(for f in "$work/$target".*.out; do field "$f" server_rss_mb; done | sort -n | tail -1)" \
      'BEGIN{printf "median participants=%d rounds=%d target=%s read_p99_ratio=%.2f arrival_p99_ratio=%.2f cairn_p99_ms=%s relay_p99_ms=%s cairn_rss_mb_max=%s\n", n, k, t, c/r, (ra>0?ca/ra:0), c, r, cr}'
  done
fi
