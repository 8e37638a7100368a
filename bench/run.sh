#!/usr/bin/env bash
# The benchmark: one command, both backends, the ceiling measured in the same run.
#
#   bash bench/run.sh                 # full run: 100,000 rows, then 10k / 100k / 1M for latency
#   DURATION=5 bash bench/run.sh      # shorter wrk runs
#   SIZES= bash bench/run.sh          # without the table by size (1M rows take a while)
#   BACKENDS=0 SIZES= bash bench/run.sh   # the kept answers against the ceiling only
#   KEPT=0 SIZES= bash bench/run.sh       # without the kept answers' table (the two backends only)
#   SUBMIT_RATE=0 …                       # the submission limit off, to compare
#
# Needs: wrk (Debian: apt-get install wrk), python3, a PostgreSQL server at
# ENDORSE_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres).
# Prints Markdown tables; BENCHMARKS.md keeps the results and the machine they ran on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-10}
SIZES=${SIZES-10000 100000 1000000}
BACKENDS=${BACKENDS:-1}
KEPT=${KEPT:-1}
CONNECTIONS=${CONNECTIONS:-64}
PG_ADMIN_URL=${ENDORSE_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/postgres}
SLUG=end-child-immigration-detention
WORK=$(mktemp -d)
SERVER_PID=
CEILING_PID=
COPY_PID=
PG_DB=endorse_bench_$$

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$CEILING_PID" ] && kill "$CEILING_PID" 2>/dev/null || true
    [ -n "$COPY_PID" ] && kill "$COPY_PID" 2>/dev/null || true
    psql -X -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
echo "building (release)…" >&2
cargo build --release --quiet
cargo build --release --quiet --example ceiling
BIN=target/release/endorse

CLK_TCK=$(getconf CLK_TCK)

# A process's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk against `url` with `connections` connections: requests per second, the 50th and 99th
# percentile latencies, non-2xx/3xx answers, and the CPU time the process `pid` spent per
# request (µs), read from /proc before and after (wrk runs on the same two cores).
measure_on() { # pid connections url [extra wrk args…]
    local pid=$1 connections=$2 url=$3; shift 3
    local threads=2 before after
    [ "$connections" -lt 2 ] && threads=1
    before=$(cpu_ticks "$pid")
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency "$@" "$url" >"$WORK/wrk.txt" 2>&1
    after=$(cpu_ticks "$pid")
    local rps p50 p99 errors requests cpu
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
    p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
    errors=$(awk '/Non-2xx or 3xx/ {print $5}' "$WORK/wrk.txt")
    requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
    cpu=$(awk -v b="$before" -v a="$after" -v t="$CLK_TCK" -v n="${requests:-0}" \
        'BEGIN {if (n > 0) printf "%.1f", (a - b) * 1000000 / t / n; else print "?"}')
    echo "${rps:-0} ${p50:-?} ${p99:-?} ${errors:-0} ${cpu}"
}

# The server under test at the default concurrency.
measure() { # url [extra wrk args…]
    measure_on "$SERVER_PID" "$CONNECTIONS" "$@"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "?"}'; }

# The submission limit is on, as partners meet it (SUBMIT_RATE=0 turns it off to compare);
# bench/submit.lua sends each submission from an address of its own (X-Forwarded-For through
# a trusted proxy), so every one is counted and none is refused: on PostgreSQL each takes a
# quota kept in the database.
SUBMIT_RATE=${SUBMIT_RATE:-20}

start_server() { # database-url
    DATABASE_URL="$1" ENDORSE_SUBMIT_RATE="$SUBMIT_RATE" ENDORSE_TRUSTED_PROXIES=127.0.0.1/32 \
        RUST_LOG=warn "$BIN" serve --bind 127.0.0.1:8098 >"$WORK/server.log" 2>&1 &
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
    # Let the import settle before anything is measured, as it would long before partners
    # come: PostgreSQL's autovacuum and checkpoint of the import's writes would otherwise
    # run during the next figures (it halved the submissions figure in one run).
    case "$1" in
    postgres*) psql -X -q "$1" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null ;;
    esac
    sync
}

"target/release/examples/ceiling" 127.0.0.1:8099 >/dev/null 2>&1 &
CEILING_PID=$!
sleep 0.5
read -r CEIL_RPS CEIL_P50 CEIL_P99 _ CEIL_CPU <<<"$(measure_on "$CEILING_PID" "$CONNECTIONS" http://127.0.0.1:8099/stats)"

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); wrk on the same machine, ${DURATION}s per figure."
echo

if [ "$KEPT" = 1 ]; then
# Kept answers against the ceiling, each pair measured back to back: the same connections,
# the same machine state. CPU per request is the server's own (wrk's is not counted).
url=$(fresh_database sqlite)
import_rows "$url" 100000 >/dev/null
start_server "$url"
base=http://127.0.0.1:8098
CASES=("stats 64 /v1/campaigns/$SLUG/stats" "stats 8 /v1/campaigns/$SLUG/stats" "stats 1 /v1/campaigns/$SLUG/stats"
    "countries 64 /v1/campaigns/$SLUG/stats/countries" "badge 64 /embed/$SLUG/badge.svg"
    "country-list 64 /v1/countries" "healthz 64 /healthz")
# The second ceiling answers byte for byte what endorse answered, headers included.
mkdir -p "$WORK/copies"
for case in "${CASES[@]}"; do
    read -r name _ path <<<"$case"
    curl -sf -D "$WORK/copies/$name.head" -o "$WORK/copies/$name.body" "$base$path"
done
"target/release/examples/ceiling" 127.0.0.1:8100 "$WORK/copies" >/dev/null 2>&1 &
COPY_PID=$!
sleep 0.5
echo "Kept answers (SQLite, 100,000 rows) against two ceilings (\`bench/ceiling.rs\`): **bare**, a body of the same size with four headers; **copy**, byte for byte endorse's answer, its security, CORS and cache headers and request id included, with header values made once."
echo
echo "| request | connections | endorse req/s (p50, p99) | endorse CPU/request | bare ceiling req/s | bare CPU/request | req/s ratio | CPU ratio | copy ceiling req/s | copy CPU/request | req/s ratio | CPU ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    read -r name connections path <<<"$case"
    bytes=$(wc -c <"$WORK/copies/$name.body")
    read -r rps p50 p99 _ cpu <<<"$(measure_on "$SERVER_PID" "$connections" "$base$path")"
    read -r crps _ _ _ ccpu <<<"$(measure_on "$CEILING_PID" "$connections" "http://127.0.0.1:8099/body/$bytes")"
    read -r xrps _ _ _ xcpu <<<"$(measure_on "$COPY_PID" "$connections" "http://127.0.0.1:8100/copy/$name")"
    echo "| \`$path\` ($bytes B) | $connections | $rps ($p50, $p99) | ${cpu} µs | $crps | ${ccpu} µs | $(ratio "$rps" "$crps")× | $(ratio "$cpu" "$ccpu")× | $xrps | ${xcpu} µs | $(ratio "$rps" "$xrps")× | $(ratio "$cpu" "$xcpu")× |"
done
kill "$COPY_PID" 2>/dev/null || true
COPY_PID=
stop_server
echo

fi

[ "$BACKENDS" = 1 ] || exit 0
echo "| measure | SQLite | PostgreSQL | target |"
echo "|---|---|---|---|"
declare -A R
for backend in sqlite postgres; do
    url=$(fresh_database "$backend")
    R[$backend,import]=$(import_rows "$url" 100000)
    start_server "$url"
    base=http://127.0.0.1:8098/v1/campaigns/$SLUG
    curl -sf "$base/stats" >/dev/null
    read -r rps p50 p99 _ cpu <<<"$(measure "$base/stats")"
    R[$backend,stats]="$rps req/s (p50 $p50, p99 $p99; CPU $cpu µs/request)"
    read -r rps p50 p99 _ <<<"$(measure "$base/stats/countries")"
    R[$backend,countries]="$rps req/s (p99 $p99)"
    read -r rps p50 p99 _ <<<"$(measure "$base/endorsements?country=FR&type=ngo&limit=50")"
    R[$backend,list]="$rps req/s (p50 $p50, p99 $p99)"
    cursor=$(curl -sf "$base/endorsements?limit=200" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
    for _ in $(seq 1 50); do
        cursor=$(curl -sf "$base/endorsements?limit=200&cursor=$cursor" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')
    done
    read -r rps p50 p99 _ <<<"$(measure "$base/endorsements?limit=50&cursor=$cursor")"
    R[$backend,deep]="$rps req/s (p50 $p50)"
    read -r rps p50 p99 errors cpu <<<"$(measure "$base/endorsements" -s bench/submit.lua)"
    R[$backend,submit]="$rps req/s (p50 $p50, p99 $p99; non-2xx: $errors; server CPU $cpu µs/request)"
    # Counts while a moderator approves the submissions just made (ids after the imported
    # ones), one after another: the same wrk against the counts idle, then
    # beside the approvals (about 20 a second, `bench/approve.lua`). Each approval changes
    # the counts, so the kept answers are remade.
    token=$(DATABASE_URL="$url" RUST_LOG=warn "$BIN" token create --role moderator --label bench | tail -n 1)
    read -r idle _ <<<"$(measure "$base/stats")"
    FIRST=100001 TOKEN="$token" wrk -t1 -c1 -d"${DURATION}s" -s bench/approve.lua "http://127.0.0.1:8098" >"$WORK/approve.txt" 2>&1 &
    approving=$!
    read -r busy _ <<<"$(measure "$base/stats")"
    wait "$approving"
    approvals=$(awk '/Requests\/sec/ {print $2}' "$WORK/approve.txt")
    refused=$(awk '/Non-2xx or 3xx/ {print $5}' "$WORK/approve.txt")
    R[$backend,approving]="$busy req/s beside $approvals approvals/s (non-2xx: ${refused:-0}), against $idle req/s idle: $(ratio "$busy" "$idle")×"
    R[$backend,memory]=$(memory "$SERVER_PID")
    stop_server
done
echo "| ceiling: fixed JSON from actix-web | $CEIL_RPS req/s (p50 $CEIL_P50, p99 $CEIL_P99; CPU $CEIL_CPU µs/request) | (same) | |"
echo "| counts \`GET …/stats\` | ${R[sqlite,stats]} | ${R[postgres,stats]} | ≥ 0.8× ceiling (first table) |"
echo "| per country \`GET …/stats/countries\` | ${R[sqlite,countries]} | ${R[postgres,countries]} | |"
echo "| filtered list page \`?country=FR&type=ngo&limit=50\` | ${R[sqlite,list]} | ${R[postgres,list]} | ≥ 5,000 req/s |"
echo "| list page 51+ pages deep (cursor) | ${R[sqlite,deep]} | ${R[postgres,deep]} | same as page 1 |"
echo "| submissions \`POST …/endorsements\`, each from its own address, limit $SUBMIT_RATE/min | ${R[sqlite,submit]} | ${R[postgres,submit]} | ≥ 2,000/s |"
echo "| counts during approvals | ${R[sqlite,approving]} | ${R[postgres,approving]} | ≥ 0.7× idle |"
echo "| import of 100,000 rows | ${R[sqlite,import]} s | ${R[postgres,import]} s | < 20 s |"
echo "| resident memory after the runs | ${R[sqlite,memory]} | ${R[postgres,memory]} | < 100 MB |"

echo
echo "Counts latency by size (\`GET …/stats\`, prepared answer, wrk -c16):"
echo
echo "| rows | SQLite | PostgreSQL | first answer after a change (SQLite / PostgreSQL) |"
echo "|---|---|---|---|"
for rows in $SIZES; do
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
