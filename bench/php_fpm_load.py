#!/usr/bin/env python3
"""A closed-loop FastCGI load on php-fpm for bench/run-php-fpm-host-limit:
CONCURRENCY clients, each sending tests/host_limit/host_limit_request.php
requests one after the other for SECONDS (after WARMUP seconds not counted),
while a direct connection counts the database's backends every 10 ms.

    php_fpm_load.py --port P --dsn DSN --uid U --pwd PW [--concurrency 64]
                    [--seconds 10] [--warmup 2] [--sleep 0.05] [--label L]
                    [--sampler-dsn DSN] [--datname odbcpool_test]

Prints one line:
    label=L requests=N rps=R p50_ms=.. p99_ms=.. max_ms=.. served=.. hyt01=..
    failed=.. max_backends=.. logins_per_s=..
logins_per_s: new sessions on the server per second (pg_stat_database).
Latency is the client's, from connect to the end of the FastCGI response.
Exits 1 if a request failed for another reason than HYT01.
"""

import argparse
import os
import sys
import threading
import time

import pyodbc

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "support"))
import fcgi_client  # noqa: E402

SCRIPT = os.path.join(here, "..", "tests", "host_limit", "host_limit_request.php")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--uid", default="")
    parser.add_argument("--pwd", default="")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--sleep", type=float, default=0.05)
    parser.add_argument("--label", default="")
    parser.add_argument("--sampler-dsn", default="DSN=bench_direct")
    parser.add_argument("--datname", default="odbcpool_test")
    args = parser.parse_args()
    script = os.path.realpath(SCRIPT)
    query = f"dsn={args.dsn}&uid={args.uid}&pwd={args.pwd}&sleep={args.sleep}"

    measuring = threading.Event()
    stopping = threading.Event()
    lock = threading.Lock()
    latencies, hyt01, failures = [], [0], []

    def client():
        while not stopping.is_set():
            started = time.monotonic()
            try:
                _, _, body, _ = fcgi_client.request("127.0.0.1", args.port, script, query, timeout=120)
                text = body.decode("utf-8", "replace")
                ok = '"ok":true' in text
                timeout = '"sqlstate":"HYT01"' in text
            except (OSError, fcgi_client.Closed) as error:
                ok, timeout, text = False, False, repr(error)
            elapsed = time.monotonic() - started
            if not measuring.is_set() or stopping.is_set():
                continue
            with lock:
                if ok:
                    latencies.append(elapsed)
                elif timeout:
                    hyt01[0] += 1
                else:
                    failures.append(text.strip()[:300])

    sampler_conn = pyodbc.connect(args.sampler_dsn, autocommit=True)
    cursor = sampler_conn.cursor()
    max_backends = [0]

    def count_backends():
        return cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()",
            args.datname).fetchone()[0]

    # The previous run's backends must be gone before this one counts.
    drain_deadline = time.monotonic() + 60
    while count_backends() and time.monotonic() < drain_deadline:
        time.sleep(0.05)
    left = count_backends()
    if left:
        print(f"{left} backends of an earlier run are still there", file=sys.stderr)

    def sampler():
        while not stopping.is_set():
            n = count_backends()
            if measuring.is_set():
                max_backends[0] = max(max_backends[0], n)
            time.sleep(0.01)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.concurrency)]
    threads.append(threading.Thread(target=sampler, daemon=True))
    for t in threads:
        t.start()
    def sessions():
        # Logins to the database so far (PostgreSQL 14+; a backend reports its
        # own within a second or at exit, so this is close, not exact).
        conn = pyodbc.connect(args.sampler_dsn, autocommit=True)
        try:
            return conn.cursor().execute(
                "SELECT pg_stat_clear_snapshot(), sessions FROM pg_stat_database WHERE datname = ?",
                args.datname).fetchone()[1]
        finally:
            conn.close()

    time.sleep(args.warmup)
    sessions_before = sessions()
    measuring.set()
    started = time.monotonic()
    time.sleep(args.seconds)
    with lock:
        measured = time.monotonic() - started
        stopping.set()
        done = sorted(latencies)
        timeouts, failed = hyt01[0], list(failures)
    for t in threads:
        t.join(timeout=130)
    sampler_conn.close()
    time.sleep(1.0)  # the backends' pending statistics
    # minus the first connection sessions() opened (the second reads before
    # its own login is reported)
    logins = max(0, sessions() - sessions_before - 1)

    def pct(p):
        if not done:
            return float("nan")
        return done[min(len(done) - 1, int(p * len(done)))] * 1000.0

    total = len(done) + timeouts + len(failed)
    print(f"label={args.label or args.dsn} requests={total} rps={len(done) / measured:.1f} "
          f"p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f} max_ms={(done[-1] * 1000.0 if done else float('nan')):.1f} "
          f"served={len(done)} hyt01={timeouts} failed={len(failed)} max_backends={max_backends[0]} "
          f"logins_per_s={logins / measured:.1f}")
    for f in failed[:5]:
        print(f"failure: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
