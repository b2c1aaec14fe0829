#!/usr/bin/env bash
# Lesson page weight and throughput, signed in, on PostgreSQL; and the same bytes from nginx
# as the ceiling. Needs: go, curl, wrk, nginx, brotli-capable curl optional; a local
# PostgreSQL reachable as $PGURL (default: postgres@127.0.0.1, trust auth).
# Usage: bash docs/bench/lesson.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_bench" >/dev/null 2>&1 || true' EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/cairn" ./cmd/cairn
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS cairn_bench" -c "CREATE DATABASE cairn_bench" >/dev/null
export CAIRN_DATABASE_URL="$PGURL/cairn_bench?sslmode=disable" CAIRN_COURSES_DIR="$PWD/courses"
"$work/cairn" serve --addr 127.0.0.1:18090 2>/dev/null &
until curl -sf -o /dev/null http://127.0.0.1:18090/readyz; do sleep 0.1; done
printf 'a benchmark passphrase\n' | "$work/cairn" users create --username reader --role learner --password-stdin >/dev/null

jar="$work/jar"
curl -s -c "$jar" -o /dev/null http://127.0.0.1:18090/login
csrf=$(curl -s -b "$jar" http://127.0.0.1:18090/login | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$csrf&username=reader&password=a benchmark passphrase" http://127.0.0.1:18090/login
session=$(awk '/cairn_session/ {print $7}' "$jar")
lesson=/courses/account-security/lessons/two-factor-methods-compared
url=http://127.0.0.1:18090$lesson
curl -sf -b "cairn_session=$session" -o "$work/lesson.html" "$url"
css=$(grep -o '/static/css/cairn\.[0-9a-f]*\.css' "$work/lesson.html")

size() { curl -s -b "cairn_session=$session" -H "Accept-Encoding: $2" -o /dev/null -w '%{size_download}' "$1"; }
echo "== weight of $lesson (signed in)"
for enc in identity gzip br; do
  page=$(size "$url" $enc); sheet=$(size "http://127.0.0.1:18090$css" $enc)
  echo "$enc: page $page B + css $sheet B = $((page + sheet)) B"
done
echo "third-party references in the page: $(grep -Eoc '(src|href|action)="(https?:)?//' "$work/lesson.html" || true)"
echo "script tags: $(grep -oc '<script' "$work/lesson.html" || true)"

mkdir -p "$work/www"; cp "$work/lesson.html" "$work/www/lesson.html"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  gzip on; gzip_min_length 256;
  server { listen 127.0.0.1:18091; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"

run() { wrk -t2 -c32 -d"${secs}s" "$@" | awk '/Requests\/sec/ {print $2} /Latency/ {print "latency " $2 " avg"}' | paste -sd' '; }
echo "== wrk -t2 -c32 -d${secs}s"
echo "cairn lesson, signed in, PostgreSQL, identity: $(run -H "Cookie: cairn_session=$session" "$url") req/s"
echo "cairn lesson, signed in, PostgreSQL, gzip:     $(run -H "Cookie: cairn_session=$session" -H 'Accept-Encoding: gzip' "$url") req/s"
echo "cairn lesson, anonymous reader, identity:       $(run "$url") req/s"
echo "nginx, same bytes, identity:                   $(run http://127.0.0.1:18091/lesson.html) req/s"
echo "nginx, same bytes, gzip:                       $(run -H 'Accept-Encoding: gzip' http://127.0.0.1:18091/lesson.html) req/s"
nginx -c "$work/nginx.conf" -s stop
