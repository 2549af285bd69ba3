#!/usr/bin/env python3
"""The host-wide limit (PoolHostMaxSize, issue 12) with many processes, each
with its own odbcpool pool, against the test PostgreSQL.

    host_limit_test.py fpm-load    PHP-FPM: 16 workers, 64 requests at once
    host_limit_test.py fpm-kill    PHP-FPM workers SIGKILLed while they hold
                                   a connection
    host_limit_test.py prefork     a pre-fork Python server: pyodbc loaded and
                                   connected in the parent, then os.fork()

Every scenario samples pg_stat_activity every 10 ms and counts the pool's
backends by its role (tests/support/write-test-ini, host-limit block), and
of those the ones whose client's end of the TCP connection is still
ESTABLISHED (/proc/net/tcp): the connections processes hold. A backend
odbcpool has closed (Terminate sent, slot given back) stays listed until it
has exited, and the next connection on that slot can log in first; one run
in a few saw 7 listed that way, the 7th with its client end in FIN_WAIT2.
The limit is checked on the held ones; both counts are printed. A
request may fail only with HYT01, no earlier than PoolAcquireTimeout, with a
message that names the host limit. Every check prints what it measured.
Exits 1 if any check fails.

fpm-load first sends the same load through pg_host_unlimited (no host limit,
a pool per worker): it must open more than 6 backends, which shows the load
can break the limit; then through pg_host_limited (PoolHostMaxSize = 6): never
more than 6. After each, with the load stopped, the backends must go once
PoolIdleTimeout (2 s) has passed. Then 6 requests hold a connection each
past the acquire timeout: a 7th must fail with HYT01, no earlier than
PoolAcquireTimeout, with a message that names the host limit. No worker may
crash (php-fpm's log).

fpm-kill holds connections (hold=800 ms after the query) with 24 clients
looping, and twice SIGKILLs 3 workers that hold one (found through their
sockets to the backends). The slots of a killed process must come back: the
pool reaches 6 backends again, all new; at most the killed requests are
lost, the rest are served or time out as above, and never more than 6.

prefork: the parent connects once (its connection stays idle in its pool,
holding a slot), then forks 12 children, each borrowing from 2 threads,
8 times each. A child inherits no slot; all children must exit 0 with every
borrow served or HYT01 as above; never more than 6 backends.

Each scenario ends with `odbcpool stats --host` (ODBCPOOL_TEST_CLI): with the
backends gone, no slot is taken; fpm-kill also checks that no killed worker
is listed among the holders.

Needs tests/support/php-fpm-server running (fpm-*): ODBCPOOL_TEST_FPM_PORT,
ODBCPOOL_TEST_FPM_DIR, ODBCPOOL_TEST_FPM_SERVER; the odbcpool command-line
tool, ODBCPOOL_TEST_CLI; and the ctest environment.
"""

import json
import os
import signal
import sys
import tempfile
import threading
import time

import pyodbc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import host_limit_common as hl  # noqa: E402

PG_PORT = int(os.environ.get("ODBCPOOL_TEST_PG_PORT", "54329"))

LOAD_WORKERS = 16
LOAD_CONCURRENT = 64
LOAD_ROUNDS = 4

KILL_CLIENTS = 24
KILL_HOLD_MS = 800
KILL_ROUNDS = 2
KILL_PER_ROUND = 3
# Bounds on waits for a state that must come; not performance requirements.
REACH_WITHIN = 60.0

FORK_CHILDREN = 12
FORK_THREADS = 2
FORK_BORROWS = 8
CHILD_TIMEOUT = 120.0


# --- fpm-load ------------------------------------------------------------------

def load_rounds(fpm, dsn):
    outcomes = []
    for _ in range(LOAD_ROUNDS):
        outcomes += hl.concurrently(LOAD_CONCURRENT, lambda i: hl.fpm_request(fpm.port, dsn, sleep=0.05))
    return outcomes


def timeout_at_the_limit(checks, fpm, dsn):
    """LIMIT requests hold their connections past the acquire timeout; one
    more must get HYT01, no earlier than PoolAcquireTimeout, naming the host
    limit (a pool per worker would serve it at once)."""
    hold_ms = int((hl.ACQUIRE_TIMEOUT + 3.0) * 1000)
    role = hl.ROLES[dsn]
    results = {}

    def holder(i):
        results[i] = hl.fpm_request(fpm.port, dsn, sleep=0, hold=hold_ms)

    holders_ = [threading.Thread(target=holder, args=(i,)) for i in range(hl.LIMIT)]
    for t in holders_:
        t.start()
    admin = pyodbc.connect(hl.ADMIN, autocommit=True)
    deadline = time.monotonic() + REACH_WITHIN
    while len(hl.backends(admin.cursor(), role)) < hl.LIMIT and time.monotonic() < deadline:
        time.sleep(0.02)
    held = len(hl.backends(admin.cursor(), role))
    admin.close()
    checks.check(held == hl.LIMIT, f"{dsn}: {hl.LIMIT} requests hold a connection each ({held} backends)")
    extra = hl.fpm_request(fpm.port, dsn, sleep=0)
    for t in holders_:
        t.join()
    print(f"{dsn}: one request more than the limit: {extra}")
    checks.check(extra["kind"] == "error" and extra.get("sqlstate") == "HYT01",
                 f"{dsn}: one request more than the limit fails with HYT01", repr(extra))
    checks.check(extra.get("connect_ms", 0) / 1000.0 >= hl.ACQUIRE_TIMEOUT - hl.TIMEOUT_SLACK,
                 f"{dsn}: ... no earlier than PoolAcquireTimeout ({hl.ACQUIRE_TIMEOUT:g}s): "
                 f"after {extra.get('connect_ms', 0) / 1000.0:.2f} s")
    checks.check(bool(hl.HOST_LIMIT_WORDS.search(extra.get("message") or "")),
                 f"{dsn}: ... with a message that names the host limit", repr(extra.get("message")))
    checks.check(all(r["kind"] == "ok" for r in results.values()),
                 f"{dsn}: the {hl.LIMIT} holders are served", repr(results))


def fpm_log_tail(fpm, offset):
    with open(os.path.join(fpm.dir, "php-fpm.log"), errors="replace") as f:
        f.seek(offset)
        return f.read()


def fpm_load(checks):
    fpm = hl.Fpm()
    log_offset = os.path.getsize(os.path.join(fpm.dir, "php-fpm.log"))
    master, workers = fpm.worker_pids()
    checks.check(len(workers) == LOAD_WORKERS, f"php-fpm (pid {master}) has {LOAD_WORKERS} workers ({len(workers)})")
    hl.ensure_roles("pg_host_unlimited", "pg_host_limited")

    for dsn, limited in (("pg_host_unlimited", False), ("pg_host_limited", True)):
        role = hl.ROLES[dsn]
        gone = hl.wait_gone(role)
        checks.check(gone is not None, f"{dsn}: no backend of {role} is left from before")
        sampler = hl.Sampler(role)
        sampler.start()
        started = time.monotonic()
        outcomes = load_rounds(fpm, dsn)
        elapsed = time.monotonic() - started
        sampler.stop()
        checks.check(sampler.error is None, f"{dsn}: the sampler ran ({sampler.samples} samples)", repr(sampler.error))
        print(f"{dsn}: {LOAD_ROUNDS} x {LOAD_CONCURRENT} requests over {LOAD_WORKERS} workers in {elapsed:.1f} s; "
              f"at most {sampler.max_held} backends held at once (pids {sampler.max_pids}), "
              f"{sampler.max} listed with those on their way out, {len(sampler.seen)} in all")
        workers_used = {o["worker"] for o in outcomes if "worker" in o}
        print(f"{dsn}: {len(workers_used)} workers served")
        if limited:
            checks.check(sampler.max_held <= hl.LIMIT,
                         f"{dsn}: never more than PoolHostMaxSize = {hl.LIMIT} backends held (at most "
                         f"{sampler.max_held})", sampler.max_detail)
            hl.judge(checks, outcomes, dsn)
        else:
            checks.check(sampler.max_held > hl.LIMIT,
                         f"{dsn}: without a host limit the load holds more than {hl.LIMIT} backends "
                         f"({sampler.max_held}): it can break the limit")
            bad = [o for o in outcomes if o["kind"] != "ok"]
            checks.check(not bad, f"{dsn}: every request is served without a host limit",
                         "; ".join(repr(o) for o in bad[:5]))
        gone = hl.wait_gone(role)
        checks.check(gone is not None,
                     f"{dsn}: with the load stopped the backends go after PoolIdleTimeout ({hl.IDLE_TIMEOUT:g}s)"
                     + (f": gone {gone:.1f} s after the last request" if gone is not None else ""))
    hl.check_slots_returned(checks, "pg_host_limited")
    timeout_at_the_limit(checks, fpm, "pg_host_limited")
    checks.check(hl.wait_gone(hl.ROLES["pg_host_limited"]) is not None,
                 "pg_host_limited: the holders' backends go after PoolIdleTimeout")
    hl.check_slots_returned(checks, "pg_host_limited")
    # A worker that crashed (php-fpm logs "exited on signal") is a driver bug.
    crashes = [line for line in fpm_log_tail(fpm, log_offset).splitlines() if "exited on signal" in line]
    checks.check(not crashes, "no php-fpm worker crashed", "\n".join(crashes[:5]))


# --- fpm-kill ------------------------------------------------------------------

def socket_inodes_to(pg_port):
    """{client port: socket inode} of the TCP connections to 127.0.0.1:pg_port."""
    out = {}
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], int(fields[9])
            if remote.endswith(f":{pg_port:04X}") and inode:
                out[int(local.split(":")[1], 16)] = inode
    return out


def socket_owners(pids):
    """{socket inode: pid} of the pids' open sockets."""
    out = {}
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    out[int(target[8:-1])] = pid
        except OSError:
            continue
    return out


def holders(cursor, role, workers):
    """{worker pid: backend pid} of the workers that hold one of the role's
    backends right now."""
    inodes = socket_inodes_to(PG_PORT)
    owners = socket_owners(workers)
    out = {}
    for backend, client_port, _ in hl.backends(cursor, role):
        inode = inodes.get(client_port)
        if inode in owners:
            out[owners[inode]] = backend
    return out


def fpm_kill(checks):
    fpm = hl.Fpm()
    dsn = "pg_host_limited_kill"
    role = hl.ROLES[dsn]
    hl.ensure_roles(dsn)
    checks.check(hl.wait_gone(role) is not None, f"no backend of {role} is left from before")
    sampler = hl.Sampler(role)
    sampler.start()
    stopping = threading.Event()
    outcomes = []
    outcomes_lock = threading.Lock()

    def client():
        while not stopping.is_set():
            outcome = hl.fpm_request(fpm.port, dsn, sleep=0, hold=KILL_HOLD_MS)
            outcome["finished"] = time.monotonic()
            with outcomes_lock:
                outcomes.append(outcome)

    clients = [threading.Thread(target=client, daemon=True) for _ in range(KILL_CLIENTS)]
    for t in clients:
        t.start()

    admin = pyodbc.connect(hl.ADMIN, autocommit=True)
    cursor = admin.cursor()
    killed_backends = set()
    killed_workers = set()
    killed = 0
    for round_no in range(1, KILL_ROUNDS + 1):
        # Wait for the pool to hold all its slots in workers, then kill some holders.
        deadline = time.monotonic() + REACH_WITHIN
        held = {}
        while time.monotonic() < deadline:
            _, workers = fpm.worker_pids()
            held = holders(cursor, role, workers)
            live = [b for b in held.values() if b not in killed_backends]
            if len(live) >= hl.LIMIT:
                break
            time.sleep(0.02)
        live_held = {w: b for w, b in held.items() if b not in killed_backends}
        checks.check(len(live_held) >= hl.LIMIT,
                     f"round {round_no}: {hl.LIMIT} workers hold a connection at once"
                     + (" again, after the kill: the killed processes' slots came back" if round_no > 1 else "")
                     + f" ({len(live_held)})")
        victims = sorted(live_held)[:KILL_PER_ROUND]
        for w in victims:
            os.kill(w, signal.SIGKILL)
            killed_backends.add(live_held[w])
            killed_workers.add(w)
        killed += len(victims)
        kill_time = time.monotonic()
        print(f"round {round_no}: SIGKILLed workers {victims} holding backends {[live_held[w] for w in victims]}")
        # The survivors keep serving: a request finishes after the kill.
        deadline = time.monotonic() + REACH_WITHIN
        while time.monotonic() < deadline:
            with outcomes_lock:
                served_after = sum(1 for o in outcomes if o["kind"] == "ok" and o["finished"] > kill_time)
            if served_after:
                break
            time.sleep(0.05)
        checks.check(served_after > 0, f"round {round_no}: requests are served after the kill")

    # After the last kill: the pool gets all its slots back again.
    deadline = time.monotonic() + REACH_WITHIN
    live_held = {}
    while time.monotonic() < deadline:
        _, workers = fpm.worker_pids()
        live_held = {w: b for w, b in holders(cursor, role, workers).items() if b not in killed_backends}
        if len(live_held) >= hl.LIMIT:
            break
        time.sleep(0.02)
    checks.check(len(live_held) >= hl.LIMIT,
                 f"after {killed} workers were killed, {hl.LIMIT} workers hold a connection at once again "
                 f"({len(live_held)}): no slot was lost")
    try:
        slots = hl.host_slots(dsn)
        holder_pids = set(slots.get("holders") or [])
        checks.check(not holder_pids & killed_workers,
                     f"odbcpool stats --host lists no killed worker among the holders "
                     f"({sorted(holder_pids)}; killed {sorted(killed_workers)})")
        checks.check(slots.get("taken", 99) <= hl.LIMIT,
                     f"odbcpool stats --host: {slots.get('taken')} of {slots.get('limit')} slots taken")
    except (RuntimeError, ValueError, KeyError, OSError) as error:
        checks.check(False, "odbcpool stats --host reads the slots", str(error))
    stopping.set()
    for t in clients:
        t.join()
    sampler.stop()
    admin.close()
    checks.check(sampler.error is None, f"the sampler ran ({sampler.samples} samples)", repr(sampler.error))
    print(f"{dsn}: at most {sampler.max_held} backends held at once (pids {sampler.max_pids}), "
          f"{sampler.max} listed with those on their way out, {len(sampler.seen)} in all")
    checks.check(sampler.max_held <= hl.LIMIT,
                 f"never more than PoolHostMaxSize = {hl.LIMIT} backends held, kills included (at most "
                 f"{sampler.max_held})", sampler.max_detail)
    hl.judge(checks, outcomes, dsn, allowed_closed=killed)
    _, workers = fpm.worker_pids()
    checks.check(len(workers) == LOAD_WORKERS, f"php-fpm replaced the killed workers ({len(workers)} workers)")
    gone = hl.wait_gone(role)
    checks.check(gone is not None, "with the load stopped the backends go after PoolIdleTimeout"
                 + (f" ({gone:.1f} s)" if gone is not None else ""))
    hl.check_slots_returned(checks, dsn)


# --- prefork -------------------------------------------------------------------

def borrow(dsn):
    started = time.monotonic()
    try:
        conn = pyodbc.connect(f"DSN={dsn}")
    except pyodbc.Error as error:
        return {"kind": "error", "stage": "connect", "sqlstate": error.args[0] if error.args else "",
                "message": str(error), "connect_ms": (time.monotonic() - started) * 1000.0}
    connect_ms = (time.monotonic() - started) * 1000.0
    try:
        backend = conn.cursor().execute("SELECT pg_backend_pid(), pg_sleep(0.05)").fetchone()[0]
    except pyodbc.Error as error:
        conn.close()
        return {"kind": "error", "stage": "query", "sqlstate": error.args[0] if error.args else "",
                "message": str(error), "connect_ms": connect_ms}
    conn.close()
    return {"kind": "ok", "backend": backend, "connect_ms": connect_ms,
            "seconds": time.monotonic() - started}


def child_main(dsn, go_fd, result_path):
    """In a child: wait for the go, borrow from threads, write the outcomes."""
    os.read(go_fd, 1)
    results = []
    lock = threading.Lock()

    def worker():
        for _ in range(FORK_BORROWS):
            outcome = borrow(dsn)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(FORK_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(result_path + ".tmp", "w") as f:
        json.dump({"pid": os.getpid(), "outcomes": results}, f)
    os.rename(result_path + ".tmp", result_path)


def prefork(checks):
    dsn = "pg_host_limited_fork"
    role = hl.ROLES[dsn]
    hl.ensure_roles(dsn)
    checks.check(hl.wait_gone(role) is not None, f"no backend of {role} is left from before")
    # The parent loads the driver and opens the pool; its connection goes
    # back idle and keeps its slot across the fork.
    conn = pyodbc.connect(f"DSN={dsn}")
    parent_backend = conn.cursor().execute("SELECT pg_backend_pid()").fetchone()[0]
    conn.close()
    print(f"parent {os.getpid()}: connected once (backend {parent_backend}), idle in its pool")
    workdir = tempfile.mkdtemp(prefix="odbcpool-prefork-")
    go_read, go_write = os.pipe()
    children = {}
    for i in range(FORK_CHILDREN):
        result_path = os.path.join(workdir, f"child-{i}.json")
        pid = os.fork()
        if pid == 0:
            try:
                os.close(go_write)
                child_main(dsn, go_read, result_path)
            except BaseException as error:  # noqa: BLE001 - report anything, then leave
                print(f"child {os.getpid()}: {error!r}", file=sys.stderr)
                sys.stderr.flush()
                os._exit(1)
            # A normal exit, as a pre-fork server's worker leaves: the
            # interpreter finalizes and pyodbc frees its environment.
            sys.stdout.flush()
            sys.exit(0)
        children[pid] = result_path
    os.close(go_read)
    sampler = hl.Sampler(role)
    sampler.start()
    os.write(go_write, b"g" * FORK_CHILDREN)
    os.close(go_write)

    statuses = {}
    deadline = time.monotonic() + CHILD_TIMEOUT
    while len(statuses) < len(children) and time.monotonic() < deadline:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            statuses[pid] = os.waitstatus_to_exitcode(status)
        else:
            time.sleep(0.02)
    for pid in children:
        if pid not in statuses:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            statuses[pid] = "hung"
    sampler.stop()
    checks.check(sampler.error is None, f"the sampler ran ({sampler.samples} samples)", repr(sampler.error))
    bad = {pid: s for pid, s in statuses.items() if s != 0}
    checks.check(not bad, f"all {FORK_CHILDREN} children exit 0", repr(bad))
    outcomes = []
    for pid, path in children.items():
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        for o in data["outcomes"]:
            outcomes.append(o)
    checks.check(len(outcomes) == FORK_CHILDREN * FORK_THREADS * FORK_BORROWS,
                 f"every child reported its borrows ({len(outcomes)})")
    print(f"{dsn}: {FORK_CHILDREN} children x {FORK_THREADS} threads x {FORK_BORROWS} borrows; "
          f"at most {sampler.max_held} backends held at once (pids {sampler.max_pids}), "
          f"{sampler.max} listed with those on their way out, {len(sampler.seen)} in all")
    checks.check(sampler.max_held <= hl.LIMIT,
                 f"never more than PoolHostMaxSize = {hl.LIMIT} backends held, the parent's included "
                 f"(at most {sampler.max_held})", sampler.max_detail)
    for o in outcomes:
        o.setdefault("seconds", o.get("connect_ms", 0) / 1000.0)
    hl.judge(checks, outcomes, dsn)
    # The parent still borrows after its children.
    try:
        conn = pyodbc.connect(f"DSN={dsn}")
        again = conn.cursor().execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.close()
        checks.check(True, f"the parent borrows after its children (backend {again})")
    except pyodbc.Error as error:
        checks.check(False, "the parent borrows after its children", str(error))
    gone = hl.wait_gone(role)
    checks.check(gone is not None, "with the load stopped the backends go after PoolIdleTimeout"
                 + (f" ({gone:.1f} s)" if gone is not None else ""))
    hl.check_slots_returned(checks, dsn)
    for path in children.values():
        if os.path.exists(path):
            os.unlink(path)
    os.rmdir(workdir)


SCENARIOS = {"fpm-load": fpm_load, "fpm-kill": fpm_kill, "prefork": prefork}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        print(f"usage: {sys.argv[0]} {{{'|'.join(SCENARIOS)}}}", file=sys.stderr)
        return 2
    checks = hl.Checks()
    SCENARIOS[sys.argv[1]](checks)
    checks.exit()


if __name__ == "__main__":
    sys.exit(main())
