"""What the host-wide limit's tests share (tests/host_limit): the roles and
DSNs of tests/support/write-test-ini, a sampler of pg_stat_activity, the
PHP-FPM requests and the judgement of their outcomes.

A pool's backends are counted by their role (usename), one role per pool:
odbcpool's return resets the session (DISCARD ALL) and with it anything an
application_name would carry, but never the user a backend logged in as.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import fcgi_client  # noqa: E402
from test_checks import Checks  # noqa: E402

ADMIN = "DSN=pg_unicode_direct"
PASSWORD = "odbcpool-hl-secret"
# DSN -> the role it logs in as (write-test-ini's host-limit block)
ROLES = {
    "pg_host_unlimited": "odbcpool_hl_free",
    "pg_host_limited": "odbcpool_hl_load",
    "pg_host_limited_kill": "odbcpool_hl_kill",
    "pg_host_limited_fork": "odbcpool_hl_fork",
}
LIMIT = 6  # PoolHostMaxSize of the limited DSNs
ACQUIRE_TIMEOUT = 5.0  # their PoolAcquireTimeout, seconds
IDLE_TIMEOUT = 2.0  # their PoolIdleTimeout, seconds
# How long after the last request the backends may take to go: the idle
# timeout, the maintenance thread's round, and a loaded machine. It bounds a
# wait that would otherwise never end; it is not a performance requirement.
GONE_WITHIN = IDLE_TIMEOUT + 30.0
# A connect's own clock and the driver's differ by rounding; HYT01 must come
# after the acquire timeout, to within this.
TIMEOUT_SLACK = 0.05
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "host_limit_request.php")
HOST_LIMIT_WORDS = re.compile(r"host", re.IGNORECASE)


def ensure_roles(*dsns):
    """Creates the roles the DSNs log in as (the server's test role is a
    superuser); concurrent runs may race to create one, which is fine."""
    conn = pyodbc.connect(ADMIN, autocommit=True)
    try:
        for dsn in dsns:
            role = ROLES[dsn]
            conn.execute(
                "DO $$BEGIN "
                f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$"
            )
            conn.execute(f"ALTER ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
            conn.execute(f"GRANT CONNECT ON DATABASE odbcpool_test TO {role}")
    finally:
        conn.close()


def backends(cursor, role):
    """[(backend pid, client port, state)] of the role's backends."""
    return [
        tuple(row)
        for row in cursor.execute(
            "SELECT pid, client_port, state FROM pg_stat_activity WHERE usename = ?", role
        ).fetchall()
    ]


TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
              6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}


PG_PORT = int(os.environ.get("ODBCPOOL_TEST_PG_PORT", "54329"))


def client_socket_states():
    """{client port: TCP state} of this host's IPv4 connections to the
    server's port, from the client's end (/proc/net/tcp)."""
    out = {}
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if int(fields[2].split(":")[1], 16) != PG_PORT:
                continue
            out[int(fields[1].split(":")[1], 16)] = TCP_STATES.get(int(fields[3], 16), fields[3])
    return out


def describe(rows, states):
    """The backends of a sample, each with the state of its client's end of
    the TCP connection."""
    return ", ".join(f"{pid} ({state}, client :{port} {states.get(port, 'gone')})" for pid, port, state in rows)


class Sampler(threading.Thread):
    """Counts one role's backends every 10 ms through a direct connection,
    from start to stop().

    held counts the backends whose client's end of the connection is still
    ESTABLISHED: the physical connections processes hold, which is what
    PoolHostMaxSize bounds. A backend whose client end is no longer
    established was closed by odbcpool (its Terminate sent, its slot given
    back) and has not finished exiting; pg_stat_activity still lists it for
    a moment, and a new connection on the freed slot may log in before it
    is gone. max is the plain pg_stat_activity count, max_held the held one;
    max_detail describes the sample with the most held backends."""

    def __init__(self, role, interval=0.01):
        super().__init__(daemon=True)
        self.role = role
        self.interval = interval
        self.conn = pyodbc.connect(ADMIN, autocommit=True)
        self.count = 0
        self.max = 0
        self.max_held = 0
        self.max_pids = []
        self.max_detail = ""
        self.samples = 0
        self.seen = set()
        self.error = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def sample(self):
        rows = backends(self.conn.cursor(), self.role)
        states = client_socket_states()
        held = [r for r in rows if states.get(r[1]) == "ESTABLISHED"]
        with self.lock:
            self.samples += 1
            self.count = len(rows)
            self.seen.update(r[0] for r in rows)
            self.max = max(self.max, len(rows))
            if len(held) > self.max_held or not self.max_detail:
                self.max_held = len(held)
                self.max_pids = sorted(r[0] for r in held)
                self.max_detail = describe(rows, states)
        return rows

    def run(self):
        try:
            while not self.stopping.is_set():
                self.sample()
                self.stopping.wait(self.interval)
        except pyodbc.Error as error:
            self.error = error

    def stop(self):
        self.stopping.set()
        self.join()
        self.conn.close()


def host_slots(dsn):
    """What `odbcpool stats --json --host DSN` (ODBCPOOL_TEST_CLI) says of
    the DSN's pool: {"limit", "taken", "waiting", "holders": [pid...]}."""
    out = subprocess.run([os.environ["ODBCPOOL_TEST_CLI"], "stats", "--json", "--host", dsn],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"odbcpool stats --host {dsn}: exit {out.returncode}: {out.stderr.strip()}")
    pools = json.loads(out.stdout)["pools"]
    if len(pools) != 1:
        raise RuntimeError(f"odbcpool stats --host {dsn}: {len(pools)} pools: {out.stdout}")
    return pools[0]


def check_slots_returned(checks, dsn):
    """With the backends gone, no slot of the pool is taken any more."""
    try:
        slots = host_slots(dsn)
    except (RuntimeError, ValueError, KeyError, OSError) as error:
        checks.check(False, f"{dsn}: odbcpool stats --host reads the slots", str(error))
        return
    checks.check(slots.get("taken") == 0 and not slots.get("holders"),
                 f"{dsn}: every host slot is back (odbcpool stats --host: taken {slots.get('taken')}, "
                 f"held by {slots.get('holders')})")


def wait_gone(role, within=GONE_WITHIN):
    """Seconds until the role has no backend left, or None past `within`."""
    conn = pyodbc.connect(ADMIN, autocommit=True)
    try:
        started = time.monotonic()
        while time.monotonic() - started < within:
            if not backends(conn.cursor(), role):
                return time.monotonic() - started
            time.sleep(0.1)
        return None
    finally:
        conn.close()


class Fpm:
    """The php-fpm of tests/support/php-fpm-server this run talks to."""

    def __init__(self):
        self.port = int(os.environ["ODBCPOOL_TEST_FPM_PORT"])
        self.dir = os.environ["ODBCPOOL_TEST_FPM_DIR"]
        self.server = os.environ["ODBCPOOL_TEST_FPM_SERVER"]

    def worker_pids(self):
        """(master pid, [worker pids])"""
        with open(os.path.join(self.dir, "php-fpm.pid")) as f:
            master = int(f.read().strip())
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            # the parent pid is the second field after the parenthesised name
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry))
        return master, sorted(pids)


def fpm_request(port, dsn, sleep=0.05, hold=0, timeout=60.0, plain=False):
    """One request; returns an outcome dict with "kind": ok, error (the
    script reported an ODBC failure), closed (the worker went away
    mid-request) or broken (anything else: no JSON, an HTTP error)."""
    query = f"dsn={dsn}&uid={ROLES.get(dsn, '')}&pwd={PASSWORD}&sleep={sleep}&hold={hold}"
    if plain:
        query += "&sql=plain"
    started = time.monotonic()
    try:
        status, _, body, stderr = fcgi_client.request("127.0.0.1", port, SCRIPT, query, timeout=timeout)
    except fcgi_client.Closed as error:
        return {"kind": "closed", "detail": str(error), "seconds": time.monotonic() - started}
    except OSError as error:
        return {"kind": "broken", "detail": repr(error), "seconds": time.monotonic() - started}
    seconds = time.monotonic() - started
    try:
        answer = json.loads(body.decode("utf-8", "replace").strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"kind": "broken", "detail": f"status {status}, body {body[:300]!r}, stderr {stderr[:300]!r}",
                "seconds": seconds}
    answer["seconds"] = seconds
    answer["kind"] = "ok" if answer.get("ok") else "error"
    return answer


def concurrently(count, function):
    """Runs function(i) in `count` threads released at once; their results."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def body(i):
        barrier.wait()
        results[i] = function(i)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def is_host_timeout(state, message, connect_seconds):
    """A failure the limit allows: HYT01, after PoolAcquireTimeout, with a
    message that names the host limit."""
    return (
        state == "HYT01"
        and connect_seconds >= ACQUIRE_TIMEOUT - TIMEOUT_SLACK
        and bool(HOST_LIMIT_WORDS.search(message or ""))
    )


def judge(checks, outcomes, label, allowed_closed=0):
    """Every outcome is a success or HYT01 after the acquire timeout naming
    the host limit (and at most `allowed_closed` requests lost to a killed
    worker). Returns (ok, host timeouts, closed)."""
    ok = [o for o in outcomes if o["kind"] == "ok"]
    timeouts = [
        o for o in outcomes
        if o["kind"] == "error" and o.get("stage") == "connect"
        and is_host_timeout(o.get("sqlstate"), o.get("message"), o.get("connect_ms", 0) / 1000.0)
    ]
    closed = [o for o in outcomes if o["kind"] == "closed"]
    others = [o for o in outcomes if o["kind"] != "ok" and o not in timeouts and o not in closed]
    print(f"{label}: {len(outcomes)} requests: {len(ok)} served, {len(timeouts)} HYT01 after the acquire "
          f"timeout, {len(closed)} lost with a killed worker, {len(others)} other failures")
    if ok:
        latencies = sorted(o["seconds"] for o in ok)
        print(f"{label}: served in {latencies[len(latencies) // 2] * 1000:.0f} ms median, "
              f"{latencies[-1] * 1000:.0f} ms at most; {len({o['backend'] for o in ok})} distinct backends")
    if timeouts:
        print(f"{label}: a timeout reads: {timeouts[0]['sqlstate']} {timeouts[0]['message']}")
    checks.check(not others, f"{label}: every request is served or fails with HYT01 after "
                 f"PoolAcquireTimeout ({ACQUIRE_TIMEOUT:g}s) naming the host limit",
                 "; ".join(repr(o) for o in others[:5]))
    checks.check(len(closed) <= allowed_closed,
                 f"{label}: requests lost with a killed worker: {len(closed)} (at most {allowed_closed})")
    checks.check(len(ok) > 0, f"{label}: some requests are served ({len(ok)})")
    return ok, timeouts, closed
