#!/usr/bin/env bash
# Where the time goes, for the findings in BENCHMARKS.md ("Profile"):
#
#   bash bench/profile.sh            # callgrind, then perf record, for the three requests
#   CONNECTIONS_LIST=1 PERF=0 bash bench/profile.sh   # callgrind at one connection only
#
# 1. Instructions per request (valgrind --tool=callgrind; repeatable, whatever else the
#    machine does): endorse answering `GET …/stats`, `GET /healthz` and a submission, and the
#    ceiling answering a body of the same size, at 1 and at 64 connections. Instrumentation is
#    switched on only while wrk runs, so start-up does not count; the total is divided by the
#    requests the server answered in that time. The top functions (inclusive and self) are
#    written to $OUT/callgrind-*.txt.
# 2. A CPU profile under load (perf record -g, at 64 connections) of the same requests:
#    $OUT/perf-*.txt, the top of `perf report --no-children`.
#
# Needs wrk, valgrind, perf (Debian's linux-perf). Not part of CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=${OUT:-target/profile}
DURATION=${DURATION:-5}
SLUG=end-child-immigration-detention
WORK=$(mktemp -d)
PIDS=()
mkdir -p "$OUT"
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "building (release)…" >&2
cargo build --release --quiet
cargo build --release --quiet --example ceiling
BIN=target/release/endorse

python3 bench/gen.py 100000 >"$WORK/rows.csv"
DB="$WORK/profile.db"
DATABASE_URL=$DB RUST_LOG=warn "$BIN" import "$WORK/rows.csv" --campaign "$SLUG" >/dev/null

wait_for() { # url
    for _ in $(seq 1 600); do
        curl -sf "$1" >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "profile: nothing answered at $1" >&2
    exit 1
}

# `requests` answered under wrk at `connections`, from wrk's own count.
run_wrk() { # connections url [extra wrk args…]
    local connections=$1 url=$2 threads=2; shift 2
    [ "$connections" -lt 2 ] && threads=1
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" "$@" "$url" >"$WORK/wrk.txt" 2>&1
    awk '/requests in/ {print $1}' "$WORK/wrk.txt"
}

# callgrind: instructions per request for one server command and one request.
callgrind() { # name connections url command… (the command serves on the url's port)
    local name=$1 connections=$2 url=$3; shift 3
    local file="$OUT/callgrind.$name.out"
    DATABASE_URL=$DB ENDORSE_SUBMIT_RATE=0 RUST_LOG=warn \
        valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$file" "$@" >"$WORK/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    # A GET of the submissions' URL lists the public endorsements: ready either way.
    wait_for "$url"
    callgrind_control -i on "$pid" >/dev/null
    local requests
    if [[ "$url" == *endorsements ]]; then
        requests=$(run_wrk "$connections" "$url" -s bench/submit.lua)
    else
        requests=$(run_wrk "$connections" "$url")
    fi
    callgrind_control -i off "$pid" >/dev/null
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local total
    total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}')
    callgrind_annotate --inclusive=yes "$file" 2>/dev/null | head -n 60 >"$OUT/callgrind-$name-inclusive.txt" || true
    callgrind_annotate "$file" 2>/dev/null | head -n 60 >"$OUT/callgrind-$name-self.txt" || true
    awk -v t="$total" -v n="$requests" -v name="$name" \
        'BEGIN {printf "| %s | %d | %d | %.0f |\n", name, n, t, (n > 0 ? t / n : 0)}'
}

echo "| what | requests | instructions | instructions per request |"
echo "|---|---|---|---|"
stats_bytes=$(
    DATABASE_URL=$DB RUST_LOG=warn "$BIN" serve --bind 127.0.0.1:8097 >/dev/null 2>&1 &
    pid=$!
    wait_for "http://127.0.0.1:8097/readyz"
    curl -sf "http://127.0.0.1:8097/v1/campaigns/$SLUG/stats" | wc -c
    kill "$pid" 2>/dev/null || true
)
for connections in ${CONNECTIONS_LIST:-1 64}; do
    callgrind "endorse-stats-c$connections" "$connections" "http://127.0.0.1:8097/v1/campaigns/$SLUG/stats" \
        "$BIN" serve --bind 127.0.0.1:8097
    callgrind "ceiling-stats-c$connections" "$connections" "http://127.0.0.1:8096/body/$stats_bytes" \
        target/release/examples/ceiling 127.0.0.1:8096
    callgrind "endorse-healthz-c$connections" "$connections" "http://127.0.0.1:8097/healthz" \
        "$BIN" serve --bind 127.0.0.1:8097
    callgrind "ceiling-healthz-c$connections" "$connections" "http://127.0.0.1:8096/body/15" \
        target/release/examples/ceiling 127.0.0.1:8096
    callgrind "endorse-submit-c$connections" "$connections" "http://127.0.0.1:8097/v1/campaigns/$SLUG/endorsements" \
        "$BIN" serve --bind 127.0.0.1:8097
done

# perf: where the cycles go under load.
if [ "${PERF:-1}" = 1 ] && perf stat -e task-clock true >/dev/null 2>&1; then
    for case in "stats /v1/campaigns/$SLUG/stats" "healthz /healthz" "submit /v1/campaigns/$SLUG/endorsements"; do
        read -r name path <<<"$case"
        DATABASE_URL=$DB ENDORSE_SUBMIT_RATE=0 RUST_LOG=warn "$BIN" serve --bind 127.0.0.1:8097 >/dev/null 2>&1 &
        pid=$!
        PIDS+=("$pid")
        wait_for "http://127.0.0.1:8097/readyz"
        perf record -q -g -p "$pid" -o "$WORK/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
        recorder=$!
        if [ "$name" = submit ]; then
            run_wrk 64 "http://127.0.0.1:8097$path" -s bench/submit.lua >/dev/null
        else
            run_wrk 64 "http://127.0.0.1:8097$path" >/dev/null
        fi
        wait "$recorder" || true
        perf report -q -i "$WORK/perf.data" --no-children --sort symbol --percent-limit 0.7 --stdio -g none 2>/dev/null \
            | head -n 60 >"$OUT/perf-$name.txt" || true
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
fi
echo
echo "Top functions: $OUT/callgrind-*.txt and $OUT/perf-*.txt"
