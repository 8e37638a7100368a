#!/usr/bin/env python3
"""How long a repeat takes to answer beside a new submission, on SQLite and PostgreSQL.

A public submission that repeats a pending or count-only endorsement must be answered exactly
as a new one, timing included (issue 20): this sends new submissions and repeats of a
count-only endorsement alternately, one at a time over one kept-alive connection, and prints
the latency of each kind (median, 90th and 99th percentile) and the difference of the medians
with a bootstrap 95% interval.

    python3 bench/repeat_timing.py                     # both backends, 2,000 of each
    N=500 BACKENDS=sqlite python3 bench/repeat_timing.py
    PREFILL=1000000 BACKENDS=postgres python3 bench/repeat_timing.py   # among a million others

PREFILL approved public endorsements (default none) are written straight into the database
before the server starts, spread over 200 countries, so that the look-up a submission makes
runs among as many endorsements as a large campaign has.

Needs target/release/endorse (cargo build --release) and, for PostgreSQL, a server at
ENDORSE_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres) that lets root
create databases.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("ENDORSE_BIN", os.path.join(ROOT, "target", "release", "endorse"))
SLUG = "end-child-immigration-detention"
N = int(os.environ.get("N", "2000"))
BACKENDS = os.environ.get("BACKENDS", "sqlite postgres").split()
PREFILL = int(os.environ.get("PREFILL", "0"))
PG_ADMIN = os.environ.get("ENDORSE_TEST_POSTGRES_URL", "postgres://root@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def submission(name, country, email):
    return {
        "organisation_name": name,
        "organisation_type": "ngo",
        "country_code": country,
        "contact_name": "Timing Probe",
        "contact_email": email,
        "consent_to_publish": True,
    }


# PREFILL rows: campaign 1, names "prefilled organisation N", countries AA..ZZ-like codes
# taken from a fixed list (the database does not check them), approved and public.
PREFILL_SQL = """
INSERT INTO endorsements (campaign_id, organisation_name, name_key, organisation_type, country_code,
    visibility, status, endorsed_at, submitted_at, updated_at)
SELECT 1, 'Prefilled Organisation ' || n, 'prefilled organisation ' || n, 'ngo',
    substr('ADAEAFAGALAMAOARATAUAZBABBBDBEBFBGBHBIBJBNBOBRBSBTBWBYBZCACDCFCGCHCICLCMCNCOCRCUCVCYCZDEDJDKDMDODZECEEEGERESETFIFJFMFRGAGBGDGEGHGMGNGQGRGTGWGYHNHRHTHUIDIEILINIQIRISITJMJOJPKEKGKHKIKMKNKPKRKWKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMGMHMKMLMMMNMRMTMUMVMWMXMYMZNANENGNINLNONPNRNZOMPAPEPGPHPKPLPTPWPYQAROPSRURWSASBSCSDSESGSISKSLSMSNSOSRSSSTSVSYSZTDTGTHTJTLTMTNTOTRTTTVTZUAUGUSUYUZVAVCVEVNVUWSYEZAZMZW',
        1 + 2 * (n % 194), 2),
    'public', 'approved', {now}, {now}, {now}
FROM {series}
"""


def prefill(backend, url, rows):
    started = time.perf_counter()
    if backend == "sqlite":
        import sqlite3

        db = sqlite3.connect(url)
        db.execute(PREFILL_SQL.format(
            now="datetime('now')",
            series=f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) SELECT n FROM s)",
        ))
        db.commit()
        db.execute("ANALYZE")
        db.close()
    else:
        sql = PREFILL_SQL.format(now="now()", series=f"generate_series(1, {rows}) AS n")
        subprocess.run(["psql", "-X", "-q", url, "-c", sql, "-c", "VACUUM ANALYZE endorsements"], check=True)
    print(f"{backend}: {rows} endorsements written in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def run(backend):
    work = tempfile.mkdtemp()
    if backend == "sqlite":
        url = os.path.join(work, "endorse.db")
        drop = None
    else:
        name = f"endorse_timing_{os.getpid()}"
        subprocess.run(["psql", "-X", "-q", PG_ADMIN, "-c", f"CREATE DATABASE {name}"], check=True)
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        drop = name
    env = dict(os.environ, DATABASE_URL=url, ENDORSE_SUBMIT_RATE="0", RUST_LOG="warn")
    port = free_port()
    try:
        if PREFILL:
            subprocess.run([BIN, "migrate"], env=env, check=True, capture_output=True)
            prefill(backend, url, PREFILL)
        token = subprocess.run(
            [BIN, "token", "create", "--role", "admin", "--label", "timing"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        server = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", port)

            def post(path, body, auth=None):
                headers = {"content-type": "application/json"}
                if auth:
                    headers["authorization"] = f"Bearer {auth}"
                started = time.perf_counter()
                conn.request("POST", path, json.dumps(body), headers)
                response = conn.getresponse()
                response.read()
                return response.status, time.perf_counter() - started

            secret = submission("Secret Uganda Org", "UG", "secret@example.org")
            del secret["consent_to_publish"]
            secret["visibility"] = "count_only"
            status, _ = post(f"/v1/admin/campaigns/{SLUG}/endorsements", secret, token)
            assert status == 201, status
            path = f"/v1/campaigns/{SLUG}/endorsements"
            # Warm up both paths.
            for i in range(200):
                post(path, submission(f"Warm Org {i}", "KE", f"w{i}@example.org"))
                post(path, submission("SECRET uganda ORG", "UG", f"r{i}@example.org"))
            times = {"new": [], "repeat": []}
            order = ["new", "repeat"] * N
            random.shuffle(order)
            for i, kind in enumerate(order):
                if kind == "new":
                    body = submission(f"New Org {i}", "KE", f"n{i}@example.org")
                else:
                    body = submission("secret  UGANDA org", "UG", f"p{i}@example.org")
                status, seconds = post(path, body)
                assert status == 202, (kind, status)
                times[kind].append(seconds * 1e6)
        finally:
            server.terminate()
            server.wait()
    finally:
        if drop:
            subprocess.run(["psql", "-X", "-q", PG_ADMIN, "-c", f"DROP DATABASE IF EXISTS {drop} WITH (FORCE)"])
    return times


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def bootstrap(a, b, rounds=2000):
    diffs = []
    for _ in range(rounds):
        diffs.append(statistics.median(random.choices(b, k=len(b))) - statistics.median(random.choices(a, k=len(a))))
    diffs.sort()
    return diffs[int(0.025 * rounds)], diffs[int(0.975 * rounds)]


def main():
    if not os.path.exists(BIN):
        sys.exit("bench: build it first: cargo build --release")
    print(f"| backend | kind | n | median µs | p90 µs | p99 µs |")
    print("|---|---|---|---|---|---|")
    summary = []
    for backend in BACKENDS:
        times = run(backend)
        for kind in ("new", "repeat"):
            t = times[kind]
            print(f"| {backend} | {kind} | {len(t)} | {statistics.median(t):.0f} | {percentile(t, 90):.0f} | {percentile(t, 99):.0f} |")
        low, high = bootstrap(times["new"], times["repeat"])
        diff = statistics.median(times["repeat"]) - statistics.median(times["new"])
        summary.append(f"{backend}: repeat − new median {diff:+.0f} µs (95% interval {low:+.0f} … {high:+.0f} µs)")
    print()
    for line in summary:
        print(line)


if __name__ == "__main__":
    main()
