#!/usr/bin/env bash
# The benchmark: one command, both backends, the ceiling measured in the same run.
#
#   bash bench/run.sh                 # full run: 100,000 rows, then 10k / 100k / 1M for latency
#   DURATION=5 bash bench/run.sh      # shorter wrk runs
#
# Needs: wrk (Debian: apt-get install wrk), python3, a PostgreSQL server at
# ENDORSE_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres).
# Prints Markdown tables; BENCHMARKS.md keeps the results and the machine they ran on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
PG_ADMIN_URL=${ENDORSE_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/postgres}
SLUG=end-child-immigration-detention
WORK=$(mktemp -d)
SERVER_PID=
CEILING_PID=
PG_DB=endorse_bench_$$

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$CEILING_PID" ] && kill "$CEILING_PID" 2>/dev/null || true
    psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
echo "building (release)…" >&2
cargo build --release --quiet
cargo build --release --quiet --example ceiling
BIN=target/release/endorse

# wrk's requests per second and its 50th and 99th percentile latencies.
measure() { # url [extra wrk args…]
    local url=$1; shift
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$WORK/wrk.txt" 2>&1
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
    p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
    errors=$(awk '/Non-2xx or 3xx/ {print $5}' "$WORK/wrk.txt")
    echo "${rps:-0} ${p50:-?} ${p99:-?} ${errors:-0}"
}

start_server() { # database-url
    DATABASE_URL="$1" ENDORSE_SUBMIT_RATE=0 RUST_LOG=warn "$BIN" serve --bind 127.0.0.1:8098 >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -sf http://127.0.0.1:8098/readyz >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "bench: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }

memory() { # pid → "current MB / peak MB"
    awk '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "%.0f MB (peak %.0f MB)", r/1024, h/1024}' "/proc/$1/status"
}

fresh_database() { # backend → url
    if [ "$1" = sqlite ]; then
        rm -f "$WORK"/bench.db*
        echo "$WORK/bench.db"
    else
        psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
        psql -X -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" >/dev/null
        echo "${PG_ADMIN_URL%/*}/$PG_DB"
    fi
}

import_rows() { # url rows → seconds
    python3 bench/gen.py "$2" >"$WORK/rows.csv"
    DATABASE_URL="$1" RUST_LOG=warn "$BIN" migrate >/dev/null
    local start end
    start=$(date +%s.%N)
    DATABASE_URL="$1" RUST_LOG=warn "$BIN" import "$WORK/rows.csv" --campaign "$SLUG" >"$WORK/import.txt"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", e - s}'
}

"target/release/examples/ceiling" 127.0.0.1:8099 >/dev/null 2>&1 &
CEILING_PID=$!
sleep 0.5
read -r CEIL_RPS CEIL_P50 CEIL_P99 _ <<<"$(measure http://127.0.0.1:8099/stats)"

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); wrk -t2 -c$CONNECTIONS -d${DURATION}s on the same machine."
echo
echo "| measure | SQLite | PostgreSQL | target |"
echo "|---|---|---|---|"
declare -A R
for backend in sqlite postgres; do
    url=$(fresh_database "$backend")
    R[$backend,import]=$(import_rows "$url" 100000)
    start_server "$url"
    base=http://127.0.0.1:8098/v1/campaigns/$SLUG
    curl -sf "$base/stats" >/dev/null
    read -r rps p50 p99 _ <<<"$(measure "$base/stats")"
    R[$backend,stats]="$rps req/s ($(awk -v a="$rps" -v b="$CEIL_RPS" 'BEGIN {printf "%.2f", a/b}')× ceiling; p50 $p50, p99 $p99)"
    read -r rps p50 p99 _ <<<"$(measure "$base/stats/countries")"
    R[$backend,countries]="$rps req/s ($(awk -v a="$rps" -v b="$CEIL_RPS" 'BEGIN {printf "%.2f", a/b}')× ceiling; p99 $p99)"
    read -r rps p50 p99 _ <<<"$(measure "$base/endorsements?country=FR&type=ngo&limit=50")"
    R[$backend,list]="$rps req/s (p50 $p50, p99 $p99)"
    cursor=$(curl -sf "$base/endorsements?limit=200" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
    for _ in $(seq 1 50); do
        cursor=$(curl -sf "$base/endorsements?limit=200&cursor=$cursor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
    done
    read -r rps p50 p99 _ <<<"$(measure "$base/endorsements?limit=50&cursor=$cursor")"
    R[$backend,deep]="$rps req/s (p50 $p50)"
    read -r rps p50 p99 errors <<<"$(measure "$base/endorsements" -s bench/submit.lua)"
    R[$backend,submit]="$rps req/s (p50 $p50, p99 $p99; non-2xx: $errors)"
    R[$backend,memory]=$(memory "$SERVER_PID")
    stop_server
done
echo "| ceiling: fixed JSON from actix-web | $CEIL_RPS req/s (p50 $CEIL_P50, p99 $CEIL_P99) | (same) | |"
echo "| counts \`GET …/stats\` | ${R[sqlite,stats]} | ${R[postgres,stats]} | ≥ 0.8× ceiling |"
echo "| per country \`GET …/stats/countries\` | ${R[sqlite,countries]} | ${R[postgres,countries]} | |"
echo "| filtered list page \`?country=FR&type=ngo&limit=50\` | ${R[sqlite,list]} | ${R[postgres,list]} | ≥ 5,000 req/s |"
echo "| list page 51+ pages deep (cursor) | ${R[sqlite,deep]} | ${R[postgres,deep]} | same as page 1 |"
echo "| submissions \`POST …/endorsements\` | ${R[sqlite,submit]} | ${R[postgres,submit]} | ≥ 2,000/s |"
echo "| import of 100,000 rows | ${R[sqlite,import]} s | ${R[postgres,import]} s | < 20 s |"
echo "| resident memory after the runs | ${R[sqlite,memory]} | ${R[postgres,memory]} | < 100 MB |"

echo
echo "Counts latency by size (\`GET …/stats\`, prepared answer, wrk -c16):"
echo
echo "| rows | SQLite | PostgreSQL | first answer after a change (SQLite / PostgreSQL) |"
echo "|---|---|---|---|"
for rows in 10000 100000 1000000; do
    line="| $rows"
    cold=""
    for backend in sqlite postgres; do
        url=$(fresh_database "$backend")
        import_rows "$url" "$rows" >/dev/null
        start_server "$url"
        # The first answer after start is prepared from the database: the cost of a change.
        first=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:8098/v1/campaigns/$SLUG/stats")
        read -r rps p50 p99 _ <<<"$(CONNECTIONS=16 measure "http://127.0.0.1:8098/v1/campaigns/$SLUG/stats")"
        line="$line | $rps req/s, p50 $p50, p99 $p99"
        cold="$cold$(awk -v t="$first" 'BEGIN {printf "%.0f ms", t*1000}') / "
        stop_server
    done
    echo "$line | ${cold% / } |"
done
