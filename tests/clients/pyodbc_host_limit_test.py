#!/usr/bin/env python3
"""PoolHostMaxSize through pyodbc, with real processes against PostgreSQL.

    pyodbc_host_limit_test.py shared ODBCPOOL      processes share the host limit
    pyodbc_host_limit_test.py bad-input ODBCPOOL   bad values are clear errors

ODBCPOOL is the path of the odbcpool command (for `stats --host`).

shared: the DSN pg_host_pooled (PoolHostMaxSize=2, PoolHostDir in the
build tree) with a ConnSettings that gives this run its own pool and an
application_name naming its backends. Worker processes (this script in
`worker` mode) each connect, report their backend, hold the connection and
exit. Checks, each printed:
  - two holders; a third process waiting gets HYT01 after its
    PoolAcquireTimeout, the message naming the host limit;
  - `odbcpool stats --host pg_host_pooled` lists the two holders' pids;
  - a holder killed with SIGKILL gives its slot back: a waiting process gets
    it;
  - six processes at once all succeed in turn, and pg_stat_activity,
    sampled throughout, never shows more than 2 backends of the pool.
bad-input: an unusable PoolHostDir, PoolHostMaxSize below PoolMinIdle, a
value that is no number, and a second process with another limit (a
warning naming both values on its stderr, and the first limit applies).

Exits 1 if any check fails.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pyodbc

HERE = os.path.dirname(os.path.abspath(__file__))
DIRECT = "DSN=pg_unicode_direct"
LIMIT = 2
READY_WITHIN = 30.0

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def pooled(app, extra=""):
    return (
        "DSN=pg_host_pooled;"
        f"ConnSettings={{SET application_name='{app}'}};" + extra
    )


def odbcpool_cli():
    return sys.argv[2]


# ---- Worker: one process, one connection


def worker(connection_string, hold):
    try:
        connection = pyodbc.connect(connection_string, autocommit=True)
    except pyodbc.Error as e:
        print("error", e.args[0], " ".join(str(a) for a in e.args[1:]), flush=True)
        return 0
    backend = connection.cursor().execute("SELECT pg_backend_pid()").fetchone()[0]
    print("ok", backend, flush=True)
    time.sleep(float(hold))
    connection.close()
    return 0


class Worker:
    def __init__(self, connection_string, hold):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "worker", connection_string, str(hold)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started = time.monotonic()
        self.line = None
        self.answered = None

    def answer(self):
        """The worker's first line: 'ok BACKEND' or 'error SQLSTATE message'."""
        if self.line is None:
            self.line = self.process.stdout.readline().strip()
            self.answered = time.monotonic()
        return self.line

    def finish(self):
        out, err = self.process.communicate(timeout=120)
        return self.process.returncode, err

    @property
    def pid(self):
        return self.process.pid


def backends(app):
    with pyodbc.connect(DIRECT, autocommit=True) as c:
        return c.cursor().execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", app
        ).fetchone()[0]


class Sampler(threading.Thread):
    """Samples the pool's backends until stopped; keeps the largest count."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.most = 0
        self.samples = 0
        self.stop = threading.Event()

    def run(self):
        with pyodbc.connect(DIRECT, autocommit=True) as c:
            cursor = c.cursor()
            while not self.stop.is_set():
                n = cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                    self.app,
                ).fetchone()[0]
                self.most = max(self.most, n)
                self.samples += 1
                time.sleep(0.02)


def host_stats():
    result = subprocess.run(
        [odbcpool_cli(), "stats", "--host", "pg_host_pooled", "--json"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None, result.stderr
    return json.loads(result.stdout), ""


def remove_semaphores():
    """The slots' semaphores outlive the processes: remove this run's."""
    directory = os.path.join(os.environ["ODBCPOOL_TEST_INI_DIR"], "host-slots")
    stats, _ = host_stats()
    for pool in (stats or {}).get("pools", []):
        with open(pool["file"]) as f:
            for line in f:
                if line.startswith("semaphore key: "):
                    subprocess.run(["ipcrm", "-S", line.split(": ")[1].strip()], check=False)
        os.unlink(pool["file"])
    return directory


def shared():
    app = f"hostlimit-{os.getpid()}"
    sampler = Sampler(app)
    sampler.start()

    # Two holders take the host's two slots.
    holders = [Worker(pooled(app, "PoolAcquireTimeout=20s"), 6) for _ in range(LIMIT)]
    answers = [h.answer() for h in holders]
    check(all(a.startswith("ok ") for a in answers), f"two processes connect: {answers}")

    # A third waits and times out naming the host limit.
    third = Worker(pooled(app, "PoolAcquireTimeout=1s"), 0)
    answer = third.answer()
    waited = third.answered - third.started
    check(
        answer.startswith("error HYT01") and "PoolHostMaxSize=2 is reached" in answer,
        f"a third process gets HYT01 naming the host limit: {answer!r}",
    )
    check(waited >= 1.0, f"... after its PoolAcquireTimeout of 1s (it waited {waited:.2f}s)")

    # Seen from outside: the two holders' pids.
    stats, error = host_stats()
    pools = (stats or {}).get("pools", [])
    held_by = sorted(pid for p in pools for pid in p["holders"])
    check(
        held_by == sorted(h.pid for h in holders),
        f"odbcpool stats --host lists the holders {sorted(h.pid for h in holders)}: "
        f"{held_by} {error}",
    )
    check(
        any(p["limit"] == LIMIT and p["taken"] == LIMIT for p in pools),
        f"... with limit {LIMIT} and {LIMIT} taken: {pools}",
    )

    # A waiter gets the slot of a holder killed with SIGKILL.
    waiter = Worker(pooled(app, "PoolAcquireTimeout=20s"), 0)
    time.sleep(0.5)
    os.kill(holders[0].pid, signal.SIGKILL)
    answer = waiter.answer()
    check(answer.startswith("ok "), f"a waiter gets the slot of a killed holder: {answer!r}")
    for w in holders + [third, waiter]:
        w.finish()

    # Six at once: all served in turn, never more than two backends.
    crowd = [Worker(pooled(app, "PoolAcquireTimeout=30s"), 0.3) for _ in range(6)]
    answers = [w.answer() for w in crowd]
    for w in crowd:
        w.finish()
    check(
        all(a.startswith("ok ") for a in answers),
        f"six processes at once are all served: {answers}",
    )
    sampler.stop.set()
    sampler.join()
    check(
        0 < sampler.most <= LIMIT,
        f"pg_stat_activity never showed more than {LIMIT} backends of the pool "
        f"(most {sampler.most} in {sampler.samples} samples)",
    )
    deadline = time.monotonic() + READY_WITHIN
    while backends(app) > 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    check(backends(app) == 0, "every backend is gone once the processes have exited")
    remove_semaphores()


def connect_error(connection_string):
    try:
        pyodbc.connect(connection_string, autocommit=True).close()
    except pyodbc.Error as e:
        return e.args[0], " ".join(str(a) for a in e.args[1:])
    return None, "connected"


def bad_input():
    app = f"hostlimit-bad-{os.getpid()}"
    state, message = connect_error(pooled(app, "PoolHostDir=/etc/passwd/slots"))
    check(
        state == "HY000" and "/etc/passwd/slots" in message,
        f"an unusable PoolHostDir is named: {state} {message}",
    )
    state, message = connect_error(pooled(app, "PoolMinIdle=3"))
    check(
        state == "HY000" and "PoolHostMaxSize" in message and "PoolMinIdle (3)" in message,
        f"PoolHostMaxSize below PoolMinIdle is refused naming both: {state} {message}",
    )
    state, message = connect_error(pooled(app, "PoolHostMaxSize=lots"))
    check(
        state == "HY000" and "lots" in message and "PoolHostMaxSize" in message,
        f"PoolHostMaxSize=lots is refused: {state} {message}",
    )

    # Another process, another limit, while the first holds a slot.
    holder = Worker(pooled(app, ""), 4)
    check(holder.answer().startswith("ok "), "a process with PoolHostMaxSize=2 holds a slot")
    other = Worker(pooled(app, "PoolHostMaxSize=3"), 0)
    answer = other.answer()
    _, err = other.finish()
    check(answer.startswith("ok "), f"a process with PoolHostMaxSize=3 connects: {answer!r}")
    check(
        "PoolHostMaxSize = 3 here" in err and "PoolHostMaxSize = 2" in err,
        f"... and warns naming both values: {err.strip()!r}",
    )
    stats, _ = host_stats()
    limits = [p["limit"] for p in (stats or {}).get("pools", [])]
    check(LIMIT in limits, f"... and the limit in force stays {LIMIT}: {limits}")
    holder.finish()
    remove_semaphores()


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "worker":
        return worker(sys.argv[2], sys.argv[3])
    mode = sys.argv[1] if len(sys.argv) == 3 else ""
    if mode == "shared":
        shared()
    elif mode == "bad-input":
        bad_input()
    else:
        print(__doc__)
        return 2
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
