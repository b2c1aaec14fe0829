#!/usr/bin/env bash
# Bytes per hour for a participant following a live session without JavaScript, with
# nothing changing and with a typical hour (see docs/bench/nojs/main.go). The server is
# built from REV (default: this working tree) and run on SQLite in a temporary directory;
# the measuring tool always comes from this working tree.
#
# Usage: bash docs/bench/nojs.sh            # this tree
#        REV=<commit> bash docs/bench/nojs.sh   # an earlier server, e.g. before the live part
# Needs: go, curl, git.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${REV:-}" ]; then
  mkdir "$work/src"
  git archive "$REV" | tar -x -C "$work/src"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$work/cairn" ./cmd/cairn)
  courses="$work/src/courses"
else
  CGO_ENABLED=0 go build -trimpath -o "$work/cairn" ./cmd/cairn
  courses="$PWD/courses"
fi
go build -o "$work/nojs" ./docs/bench/nojs

export CAIRN_DATA_DIR="$work/data" CAIRN_COURSES_DIR="$courses"
password="a measuring passphrase"
make_user() { printf '%s\n' "$password" | "$work/cairn" users create --username "$1" --role "$2" --password-stdin >/dev/null; }
"$work/cairn" migrate >/dev/null
make_user nojs-trainer trainer
make_user nojs-learner learner
for i in $(seq 1 12); do make_user "nojs-other-$i" learner; done

for scenario in quiet typical; do
  rm -f "$work/data/"*.lock 2>/dev/null || true
  "$work/cairn" serve --addr 127.0.0.1:18300 2>/dev/null &
  server=$!
  until curl -sf -o /dev/null http://127.0.0.1:18300/readyz; do sleep 0.1; done
  "$work/nojs" -url http://127.0.0.1:18300 -password "$password" -scenario "$scenario"
  kill "$server"; wait "$server" 2>/dev/null || true
done
