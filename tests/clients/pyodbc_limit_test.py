#!/usr/bin/env python3
"""pyodbc against a pooled PostgreSQL connection string at the pool's limits,
as an application sees them.

    pyodbc_limit_test.py limit     PoolMaxSize and PoolAcquireTimeout
    pyodbc_limit_test.py frozen    a connect while the server is frozen (SIGSTOP)

pyodbc opens with SQLDriverConnectW and, when that fails for any reason,
calls SQLDriverConnect (ANSI) right away on the same handle. The driver must
treat that retry as part of the same connect: one deadline, one pool.

limit: a DSN-less pooled connection string (PoolMaxSize=2,
PoolAcquireTimeout=1s) whose ConnSettings give this run its own pool and an
application_name that names its backends. Hold two connections, one opened
wide (pyodbc's default) and one ANSI (ansi=True): a third connect, wide or
ANSI, must raise HYT01 after 1 s (0.9 s to 1.5 s), every time. Throughout, a
direct connection samples pg_stat_activity: never more than 2 backends carry
the application_name. Then release one: the next connect succeeds at once and
gets the backend it released, in either form (across forms the reuse is
only reported).

frozen: a fresh pool (PoolAcquireTimeout=2s) and the postmaster stopped with
SIGSTOP: a connect must fail within the acquire timeout (under 3.5 s; the
retry must not start a second wait). The server is always resumed (SIGCONT,
also by a detached watchdog should this process be killed) and the script
waits until it accepts connections again. Needs ODBCPOOL_TEST_PG_DATADIR and
permission to signal the server (root), and the ctest RESOURCE_LOCK postgres.

Every check prints what it measured. Exits 1 if any check fails.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from test_checks import Checks  # noqa: E402

PORT = os.environ.get("ODBCPOOL_TEST_PG_PORT", "54329")
DIRECT = "DSN=pg_unicode_direct"

LIMIT_SIZE = 2
LIMIT_TIMEOUT = 1.0
LIMIT_LOW, LIMIT_HIGH = 0.9, 1.5  # generous upper bound: a noisy shared machine
LIMIT_ATTEMPTS = 5
AT_ONCE = 0.5  # a connect served from the idle list

FROZEN_TIMEOUT = 2
FROZEN_HIGH = 3.5  # psqlODBC's login timeout is in whole seconds
FROZEN_WATCHDOG = 60  # the watchdog resumes the server after this many seconds
READY_WITHIN = 30.0


def pooled_string(app, extra):
    return (
        "DRIVER={odbcpool};TargetDriver={PostgreSQL Unicode};"
        f"Servername=127.0.0.1;Port={PORT};Database=odbcpool_test;"
        "UID=odbcpool;PWD=odbcpool-secret;"
        f"{extra};ConnSettings=SET application_name='{app}'"
    )


def timed_connect(connection_string, ansi=False):
    """Returns (connection or None, pyodbc.Error or None, seconds taken)."""
    started = time.monotonic()
    try:
        conn = pyodbc.connect(connection_string, ansi=ansi)
        return conn, None, time.monotonic() - started
    except pyodbc.Error as error:
        return None, error, time.monotonic() - started


def sqlstate(error):
    return error.args[0] if error is not None and error.args else None


def backend_pid(conn):
    return conn.cursor().execute("SELECT pg_backend_pid()").fetchone()[0]


def count_backends(cursor, app):
    return cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", app
    ).fetchone()[0]


class Sampler(threading.Thread):
    """Counts the backends named `app` every 20 ms through a direct connection
    (pyodbc releases the GIL while it connects, so this runs during a wait)."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.conn = pyodbc.connect(DIRECT, autocommit=True)
        self.samples = []
        self.error = None
        self.stopping = threading.Event()

    def run(self):
        cursor = self.conn.cursor()
        try:
            while not self.stopping.is_set():
                self.samples.append(count_backends(cursor, self.app))
                self.stopping.wait(0.02)
        except pyodbc.Error as error:
            self.error = error

    def stop(self):
        self.stopping.set()
        self.join()
        self.conn.close()


def run_limit(checks):
    app = f"limit_{os.getpid()}"
    pooled = pooled_string(app, f"PoolMaxSize={LIMIT_SIZE};PoolAcquireTimeout={LIMIT_TIMEOUT:g}s")
    sampler = Sampler(app)
    sampler.start()
    held = {}
    try:
        for kind, ansi in (("wide", False), ("ansi", True)):
            conn, error, elapsed = timed_connect(pooled, ansi)
            if not checks.check(conn is not None, f"{kind} connect {len(held) + 1} of {LIMIT_SIZE} succeeds "
                                f"({elapsed:.3f} s)", f"{error}"):
                return
            held[kind] = conn
        pids = {kind: backend_pid(conn) for kind, conn in held.items()}
        seen = set(pids.values())
        checks.check(len(seen) == LIMIT_SIZE, f"the wide and the ANSI connection have their own backends {pids}")

        # Both forms in turn: the ANSI one is a single SQLDriverConnect, the
        # wide one SQLDriverConnectW then pyodbc's ANSI retry.
        attempts = [("wide", False)] * LIMIT_ATTEMPTS + [("ansi", True)] * 2
        for number, (kind, ansi) in enumerate(attempts, 1):
            conn, error, elapsed = timed_connect(pooled, ansi)
            if conn is not None:
                extra_pid = backend_pid(conn)
                conn.close()
                checks.check(False, f"{kind} connect {number} past the limit fails",
                             f"it succeeded after {elapsed:.3f} s on backend {extra_pid}")
                continue
            checks.check(sqlstate(error) == "HYT01" and LIMIT_LOW <= elapsed <= LIMIT_HIGH,
                         f"{kind} connect {number} past the limit raises HYT01 in {elapsed:.3f} s "
                         f"(want {LIMIT_LOW}-{LIMIT_HIGH} s)",
                         f"{type(error).__name__} {error.args}")
            if number == 1:
                print(f"      message: {error.args[1] if len(error.args) > 1 else error}")

        working = {kind: backend_pid(conn) for kind, conn in held.items()}
        checks.check(working == pids, "the held connections still work after the timeouts", f"{working}")

        # Release one, connect again in the same form: its backend, at once.
        for kind, ansi in (("wide", False), ("ansi", True)):
            held.pop(kind).close()
            conn, error, elapsed = timed_connect(pooled, ansi)
            if not checks.check(conn is not None and elapsed < AT_ONCE,
                                f"after releasing the {kind} one, a{'n' if ansi else ''} {kind} connect succeeds in {elapsed:.3f} s "
                                f"(want < {AT_ONCE} s)", f"{error}"):
                continue
            held[kind] = conn
            pid = backend_pid(conn)
            checks.check(pid == pids[kind] and pid in seen,
                         f"it reuses the backend it released: {pid} (released {pids[kind]}, seen {sorted(seen)})")

        # Release the wide one, connect ANSI: still at once and within the
        # limit; whether the backend is reused is only reported (the pool
        # replaces an idle connection of the other form).
        if "wide" in held:
            released = backend_pid(held["wide"])
            held.pop("wide").close()
            conn, error, elapsed = timed_connect(pooled, ansi=True)
            if checks.check(conn is not None and elapsed < AT_ONCE,
                            f"after releasing the wide one, an ANSI connect succeeds in {elapsed:.3f} s "
                            f"(want < {AT_ONCE} s)", f"{error}"):
                held["ansi 2"] = conn
                pid = backend_pid(conn)
                print(f"note: across forms the backend is {'reused' if pid == released else 'not reused'}: "
                      f"released {released}, got {pid}")
    finally:
        time.sleep(0.1)  # one more sample with everything still held
        sampler.stop()
        for conn in held.values():
            conn.close()
    checks.check(sampler.error is None, "pg_stat_activity sampling ran throughout", f"{sampler.error}")
    most = max(sampler.samples, default=None)
    checks.check(len(sampler.samples) > 50 and most is not None and most <= LIMIT_SIZE,
                 f"at most {LIMIT_SIZE} backends named {app} in {len(sampler.samples)} samples: "
                 f"max {most}", f"samples seen: {sorted(set(sampler.samples))}")


def postmaster_pid():
    datadir = os.environ["ODBCPOOL_TEST_PG_DATADIR"]
    with open(os.path.join(datadir, "postmaster.pid")) as pid_file:
        return int(pid_file.readline())


def wait_until_ready():
    """Seconds until the server accepts a direct connection, or None."""
    started = time.monotonic()
    while time.monotonic() - started < READY_WITHIN:
        try:
            pyodbc.connect(DIRECT, timeout=2).close()
            return time.monotonic() - started
        except pyodbc.Error:
            time.sleep(0.2)
    return None


def run_frozen(checks):
    app = f"frozen_{os.getpid()}"
    pooled = pooled_string(app, f"PoolAcquireTimeout={FROZEN_TIMEOUT}s")
    pid = postmaster_pid()
    # Should this process be killed (a ctest timeout sends SIGKILL), the
    # server must not stay frozen for every test after it.
    # Its own session, and no pipe of ours: ctest waits for every holder of
    # the test's output.
    watchdog = subprocess.Popen(["/bin/sh", "-c", f"sleep {FROZEN_WATCHDOG}; kill -CONT {pid}"],
                                start_new_session=True, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn = error = None
    elapsed = float("nan")
    # SIGTERM (ctest, a user) unwinds through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"signal {signum}"))
    try:
        os.kill(pid, signal.SIGSTOP)
        print(f"postmaster {pid} stopped (SIGSTOP)")
        conn, error, elapsed = timed_connect(pooled)
    finally:
        os.kill(pid, signal.SIGCONT)
        os.killpg(watchdog.pid, signal.SIGKILL)  # the shell and its sleep
        watchdog.wait()
        print(f"postmaster {pid} resumed (SIGCONT)")
        ready = wait_until_ready()
        print(f"the server accepts connections again after {ready:.3f} s" if ready is not None
              else f"the server did not accept a connection within {READY_WITHIN} s")
    if conn is not None:
        conn.close()
    checks.check(conn is None, f"a connect while the server is frozen fails ({elapsed:.3f} s)",
                 "it succeeded")
    if error is not None:
        print(f"      SQLSTATE {sqlstate(error)}: {error.args[1] if len(error.args) > 1 else error}")
    checks.check(elapsed < FROZEN_HIGH,
                 f"it returns within the acquire timeout: {elapsed:.3f} s (timeout {FROZEN_TIMEOUT} s, "
                 f"want < {FROZEN_HIGH} s)")
    if not checks.check(ready is not None, "the server accepts connections again"):
        return
    conn, error, elapsed = timed_connect(pooled)
    if checks.check(conn is not None, f"the same pool connects once the server is back ({elapsed:.3f} s)",
                    f"{error}"):
        conn.close()


SCENARIOS = {"limit": run_limit, "frozen": run_frozen}


def main(argv):
    names = argv[1:]
    if not names or any(name not in SCENARIOS for name in names):
        print(f"usage: {argv[0]} {{{'|'.join(SCENARIOS)}}}...", file=sys.stderr)
        return 2
    print(f"pyodbc {pyodbc.version}, unixODBC configuration in {os.environ.get('ODBCSYSINI', '/etc')}")
    checks = Checks()
    for name in names:
        try:
            SCENARIOS[name](checks)
        except pyodbc.Error as error:
            checks.check(False, f"{name}: scenario ran to the end", f"{type(error).__name__}: {error}")
    if checks.failures:
        print(f"pyodbc limits {' '.join(names)}: {checks.failures} check(s) failed")
        return 1
    print(f"pyodbc limits {' '.join(names)}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
