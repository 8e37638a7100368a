#!/usr/bin/env python3
"""What an erasure costs the requests around it, at a million endorsements (issue 21).

Erasing scrubs the database files so that no erased byte stays readable. This measures how
long submissions and list reads wait while that happens: it fills a database with PREFILL
approved endorsements (default 1,000,000, with contacts, websites and statements, 10% count-only),
starts a release build on it, and sends one submission every 50 ms and one list read every
50 ms (each a different country and page size, so that most are not kept answers), each over
its own kept-alive connection:

1. for START seconds right after the server starts (housekeeping runs then, and must find
   nothing to scrub);
2. from just before an erasure until its scrub is done (`scrubs_owed` is empty) and two
   seconds more.

It prints, for each phase and kind, the count, the median, the 99th percentile and the
maximum latency, how long the scrub took, and when the five slowest requests of each kind were
sent; the server logs how long each step of the scrub took.

    python3 bench/erasure_stall.py                              # PostgreSQL, a million rows
    PREFILL=100000 BACKENDS="sqlite postgres" python3 bench/erasure_stall.py

Needs target/release/endorse (cargo build --release) and, for PostgreSQL, a server at
ENDORSE_TEST_POSTGRES_URL (default postgres://root@127.0.0.1:5432/postgres) that lets root
create databases. Not part of CI.
"""

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("ENDORSE_BIN", os.path.join(ROOT, "target", "release", "endorse"))
SLUG = "end-child-immigration-detention"
PREFILL = int(os.environ.get("PREFILL", "1000000"))
BACKENDS = os.environ.get("BACKENDS", "postgres").split()
START = float(os.environ.get("START", "10"))
PG_ADMIN = os.environ.get("ENDORSE_TEST_POSTGRES_URL", "postgres://root@127.0.0.1:5432/postgres")
COUNTRIES = (
    "ADAEAFAGALAMAOARATAUAZBABBBDBEBFBGBHBIBJBNBOBRBSBTBWBYBZCACDCFCGCHCICLCMCNCOCRCUCVCYCZDEDJ"
    "DKDMDODZECEEEGERESETFIFJFMFRGAGBGDGEGHGMGNGQGRGTGWGYHNHRHTHUIDIEILINIQIRISITJMJOJPKEKGKHKI"
    "KMKNKPKRKWKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMGMHMKMLMMMNMRMTMUMVMWMXMYMZNANENGNINLNONPNRNZOM"
    "PAPEPGPHPKPLPTPWPYQAROPSRURWSASBSCSDSESGSISKSLSMSNSOSRSSSTSVSYSZTDTGTHTJTLTMTNTOTRTTTVTZUA"
    "UGUSUYUZVAVCVEVNVUWSYEZAZMZW"
)

PREFILL_SQL = """
INSERT INTO endorsements (campaign_id, organisation_name, name_key, organisation_type, country_code,
    website, statement, contact_name, contact_email, submitter_ip,
    visibility, status, endorsed_at, submitted_at, updated_at, lang, contact_confirmed_at)
SELECT 1, 'Prefilled Organisation ' || n, 'prefilled organisation ' || n, 'ngo',
    substr('{countries}', 1 + 2 * (n % 194), 2),
    'https://www.organisation-' || n || '.example.org/',
    'We endorse the campaign to end the immigration detention of children, number ' || n,
    'Contact Person ' || n, 'contact' || n || '@organisation-' || n || '.example.org',
    '192.0.2.' || (n % 250),
    CASE WHEN n % 10 = 0 THEN 'count_only' ELSE 'public' END, 'approved', {now}, {now}, {now},
    'en', {now}
FROM {series}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefill(backend, url):
    started = time.perf_counter()
    if backend == "sqlite":
        db = sqlite3.connect(url)
        db.execute(PREFILL_SQL.format(
            countries=COUNTRIES, now="datetime('now')",
            series=f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {PREFILL}) SELECT n FROM s)",
        ))
        db.commit()
        db.execute("ANALYZE")
        db.close()
    else:
        sql = PREFILL_SQL.format(countries=COUNTRIES, now="now()",
                                 series=f"generate_series(1, {PREFILL}) AS n")
        # The checkpoint that the prefill's gigabyte of WAL sets off would otherwise end, with
        # its fsyncs, during the measured erasure; it is not the erasure's cost.
        subprocess.run(["psql", "-X", "-q", url, "-c", sql, "-c", "VACUUM ANALYZE endorsements",
                        "-c", "CHECKPOINT"], check=True)
    print(f"{backend}: {PREFILL} endorsements written in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def owed(backend, url):
    sql = "SELECT count(*) FROM scrubs_owed"
    if backend == "sqlite":
        db = sqlite3.connect(url)
        try:
            return db.execute(sql).fetchone()[0]
        finally:
            db.close()
    out = subprocess.run(["psql", "-X", "-At", url, "-c", sql], check=True, capture_output=True,
                         text=True)
    return int(out.stdout.strip())


class Probe(threading.Thread):
    """Sends one request every 50 ms and records (start time, latency, status)."""

    def __init__(self, port, kind):
        super().__init__(daemon=True)
        self.port, self.kind = port, kind
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = 0
        while not self.stopping.is_set():
            i += 1
            country = COUNTRIES[2 * (i % 194):2 * (i % 194) + 2]
            if self.kind == "submission":
                body = json.dumps({
                    "organisation_name": f"Probe {self.kind} {time.time_ns()}",
                    "organisation_type": "ngo", "country_code": country,
                    "contact_name": "Probe", "contact_email": f"probe{i}@example.org",
                    "consent_to_publish": True,
                })
                method, path = "POST", f"/v1/campaigns/{SLUG}/endorsements"
                headers = {"content-type": "application/json"}
            else:
                body, headers = None, {}
                method = "GET"
                path = f"/v1/campaigns/{SLUG}/endorsements?country={country}&limit={1 + i % 50}"
            started = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = 0
            took = time.perf_counter() - started
            self.samples.append((started, took, status))
            time.sleep(max(0.0, 0.05 - took))


def summary(samples, since, until):
    took = sorted(t for s, t, _ in samples if since <= s <= until)
    bad = sum(1 for s, _, st in samples if since <= s <= until and (st >= 500 or st == 0))
    if not took:
        return "no samples"
    p = lambda q: took[min(len(took) - 1, int(q * len(took)))] * 1000
    return f"{len(took)} | {p(0.5):.1f} | {p(0.99):.1f} | {took[-1] * 1000:.1f} | {bad}"


def run(backend):
    work = tempfile.mkdtemp()
    if backend == "sqlite":
        url, drop = os.path.join(work, "endorse.db"), None
    else:
        drop = f"endorse_erasure_{os.getpid()}"
        subprocess.run(["psql", "-X", "-q", PG_ADMIN, "-c", f"CREATE DATABASE {drop}"], check=True)
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + drop
    env = dict(os.environ, DATABASE_URL=url, ENDORSE_SUBMIT_RATE="0", RUST_LOG="warn,endorse::db::scrub=info")
    try:
        subprocess.run([BIN, "migrate"], env=env, check=True, capture_output=True)
        prefill(backend, url)
        token = subprocess.run(
            [BIN, "token", "create", "--role", "admin", "--label", "erasure bench"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            probes = [Probe(port, "submission"), Probe(port, "list read")]
            for p in probes:
                p.start()
            start_began = time.perf_counter()
            time.sleep(START)
            start_ended = time.perf_counter()

            erase_began = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("DELETE", "/v1/admin/endorsements/500000",
                         headers={"authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            assert response.status == 204, response.status
            while owed(backend, url):
                time.sleep(0.1)
            scrub_took = time.perf_counter() - erase_began
            time.sleep(2)
            erase_ended = time.perf_counter()
            for p in probes:
                p.stopping.set()
            for p in probes:
                p.join()
        finally:
            server.terminate()
            server.wait()
        print(f"\n{backend}, {PREFILL} endorsements; the scrub took {scrub_took:.1f} s\n")
        print("| phase | kind | n | p50 ms | p99 ms | max ms | 5xx or failed |")
        print("|---|---|---|---|---|---|---|")
        for phase, since, until in [("after start", start_began, start_ended),
                                    ("during the erasure", erase_began, erase_ended)]:
            for p in probes:
                print(f"| {phase} | {p.kind} | {summary(p.samples, since, until)} |")
        for p in probes:
            slowest = sorted((s for s in p.samples if erase_began <= s[0] <= erase_ended),
                             key=lambda s: -s[1])[:5]
            print(f"\nslowest {p.kind}s during the erasure (seconds after it began: ms): "
                  + ", ".join(f"{s - erase_began:.2f}: {t * 1000:.0f}" for s, t, _ in slowest))
    finally:
        if drop:
            subprocess.run(["psql", "-X", "-q", PG_ADMIN, "-c",
                            f"DROP DATABASE IF EXISTS {drop} WITH (FORCE)"], check=False)


if __name__ == "__main__":
    for backend in BACKENDS:
        run(backend)
