#!/usr/bin/env python3
"""odbcpool in front of PgBouncer: psqlODBC through odbcpool (DSN
pgbouncer_MODE_pooled) to a PgBouncer on loopback (pgbouncer_MODE_direct)
in front of the test server, driven by pyodbc as an application would.

    pgbouncer_drill_test.py MODE DRILL [--pooled-extra 'Key=Value;...'] [--dsn DSN]

MODE is session or transaction (PgBouncer's pool_mode). DRILL is one of:
  cycles     120 connect / pg_sleep(0.05) / parameterized query executed
             five times / disconnect cycles on 8 threads over PoolMaxSize=4, autocommit
             on (each execution its own transaction): no cycle fails, at
             most PoolMaxSize client logins reach PgBouncer, and SHOW POOLS,
             sampled throughout, never shows more client or server
             connections than PoolMaxSize. Afterwards, with the pooled
             connections idle in the still running process: session mode,
             each holds its server connection (sv_active = cl_active);
             transaction mode, none does (sv_active = 0)
  prepared   prepared statements as applications use them: one statement
             executed across commits and rollbacks, two cursors
             interleaved, executemany, NULL and typed parameters: every
             result as expected
  reset      a borrower that leaves a transaction open (BEGIN by SQL,
             INSERT, disconnect): the next borrower of the connection does
             not see it, the row is gone, and SHOW POOLS shows no server
             connection held by the idle pooled connection; in session
             mode also a SET, a temporary table and a SQL PREPARE of one
             borrower are not seen by the next (DISCARD ALL through
             PgBouncer)
  reconnect  PgBouncer's RECONNECT (admin console) while 4 threads cycle:
             no cycle fails, before, during or after it
  restart    PgBouncer restarted (SIGTERM, then SIGKILL: a crash) while the
             pool holds idle connections to the old process: once the new
             one is up and PoolValidationBypass has passed, connects and
             queries on 4 threads see no error, and the pool holds no more
             than PoolMaxSize connections; a connection held open across
             the restart fails on its next query (08S01) and the next
             connect after it does not. Inside the window (a pool with
             PoolValidationBypass=1h, PgBouncer killed and started again
             with four idle connections): exactly one of 20 sequential
             cycles fails (the first, on a dead connection handed out
             unchecked; psqlODBC calls it 08S01, or HY000 when it was
             preparing a statement), the failure makes the pool check the
             other three
  findings   not in ctest (transaction mode): the user's report repeated,
             psqlODBC's server-side prepared statements through transaction
             pooling, direct and through odbcpool, then with
             UseServerSidePrepare=0; prints the counts docs/pgbouncer.md
             quotes, asserts nothing

--pooled-extra appends keys to the pooled connection string and --dsn
replaces the pooled DSN: they exist to break a drill on purpose and see it
fail (cycles --dsn pgbouncer_MODE_direct: one login per cycle; reset
--pooled-extra PoolResetOnReturn=no; restart --pooled-extra
PoolValidation=none; transaction cycles --pooled-extra
UseServerSidePrepare=1). Every check prints what it compared. Exits 1 if
any check fails.
"""

import argparse
import collections
import glob
import os
import shutil
import subprocess
import sys
import threading
import time

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from test_checks import Checks  # noqa: E402

pyodbc.pooling = False  # the Driver Manager's pool must stay out of the way

POOL_MAX = 4  # PoolMaxSize of the pgbouncer_*_pooled DSNs (write-test-ini)
BYPASS = 0.5  # PoolValidationBypass's default, in seconds


def psql_binary():
    found = shutil.which("psql")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))
    if not candidates:
        sys.exit("no psql found (package postgresql-client)")
    return candidates[-1]


class Bouncer:
    """The PgBouncer of one mode: its admin console, its log, its script."""

    def __init__(self, mode):
        key = mode.upper()
        self.mode = mode
        self.port = os.environ[f"ODBCPOOL_TEST_PGBOUNCER_{key}_PORT"]
        self.dir = os.environ[f"ODBCPOOL_TEST_PGBOUNCER_{key}_DIR"]
        self.script = os.environ["ODBCPOOL_TEST_PGBOUNCER_SERVER"]
        self.psql = psql_binary()

    def admin(self, command):
        # The admin console speaks the simple query protocol only; psqlODBC's
        # connect-time SETs are refused there, so psql it is.
        result = subprocess.run(
            [self.psql, "-X", "-q", "-A", "-F", "|", "-h", "127.0.0.1", "-p", self.port,
             "-U", "odbcpool", "-d", "pgbouncer", "-c", command],
            env=dict(os.environ, PGPASSWORD="odbcpool-secret"),
            capture_output=True, text=True, check=True)
        lines = result.stdout.splitlines()
        if not lines:
            return []
        header = lines[0].split("|")
        return [dict(zip(header, line.split("|"))) for line in lines[1:] if "|" in line]

    def pool(self):
        """SHOW POOLS for odbcpool_test, counts as ints."""
        for row in self.admin("SHOW POOLS"):
            if row["database"] == "odbcpool_test":
                counts = {k: int(v) for k, v in row.items() if k.startswith(("cl_", "sv_"))}
                counts["servers"] = sum(counts[k] for k in
                                        ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
                return counts
        return {"cl_active": 0, "cl_waiting": 0, "sv_active": 0, "servers": 0}

    def logins(self):
        """Client logins to odbcpool_test so far, from PgBouncer's log."""
        with open(os.path.join(self.dir, "pgbouncer.log"), errors="replace") as log:
            return sum(1 for line in log if "login attempt: db=odbcpool_test" in line)

    def restart(self, how=None):
        command = ["bash", self.script, "restart", self.dir] + ([how] if how else [])
        subprocess.run(command, check=True)


class Drill:
    def __init__(self, mode, args):
        self.mode = mode
        self.bouncer = Bouncer(mode)
        self.pooled = args.dsn or f"pgbouncer_{mode}_pooled"
        self.extra = args.pooled_extra
        self.direct = f"pgbouncer_{mode}_direct"
        self.c = Checks()

    def connect(self, dsn=None, extra=None, autocommit=True):
        text = f"DSN={dsn or self.pooled}"
        more = self.extra if extra is None else extra
        if more:
            text += ";" + more
        return pyodbc.connect(text, autocommit=autocommit, timeout=30)

    def run_threads(self, threads, cycles, body):
        """cycles calls of body(i) spread over threads; (failures, Counter of SQLSTATEs, samples)."""
        failures = collections.Counter()
        examples = {}
        lock = threading.Lock()
        counter = iter(range(cycles))

        def worker():
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                try:
                    body(i)
                except Exception as e:  # an application sees pyodbc.Error; anything else too
                    state = e.args[0] if isinstance(e, pyodbc.Error) and e.args else type(e).__name__
                    with lock:
                        failures[state] += 1
                        examples.setdefault(state, str(e)[:200])

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return failures, examples

    def sampler(self):
        """Samples SHOW POOLS until stopped; returns (stop, samples)."""
        samples = []
        stop = threading.Event()

        def loop():
            while not stop.is_set():
                samples.append(self.bouncer.pool())
                stop.wait(0.02)

        thread = threading.Thread(target=loop)
        thread.start()

        def finish():
            stop.set()
            thread.join()
            samples.append(self.bouncer.pool())
            return samples

        return finish

    def prepared_cycle(self, i, hold=False):
        cnxn = self.connect()
        try:
            cursor = cnxn.cursor()
            if hold:  # the connection held a while: the threads queue for the pool
                cursor.execute("SELECT pg_sleep(0.05)").fetchone()
            for j in range(5):
                value = cursor.execute("SELECT CAST(? AS integer) + 1", i * 10 + j).fetchone()[0]
                if value != i * 10 + j + 1:
                    raise AssertionError(f"SELECT ? + 1 with {i * 10 + j} gave {value}")
        finally:
            cnxn.close()

    # ---- drills

    def cycles(self):
        logins_before = self.bouncer.logins()
        finish = self.sampler()
        failures, examples = self.run_threads(8, 120, lambda i: self.prepared_cycle(i, hold=True))
        samples = finish()
        logins = self.bouncer.logins() - logins_before
        self.c.equal(sum(failures.values()), 0,
                     f"cycles failed of 120 (8 threads, PoolMaxSize={POOL_MAX}) {dict(failures)} {examples}")
        self.c.check(0 < logins <= POOL_MAX, f"client logins at PgBouncer during 120 cycles <= {POOL_MAX}",
                     f"{logins} logins")
        most = {k: max(s.get(k, 0) for s in samples) for k in ("cl_active", "sv_active", "servers")}
        self.c.check(len(samples) > 2, "SHOW POOLS was sampled during the cycles", f"{len(samples)} samples")
        self.c.check(most["cl_active"] <= POOL_MAX,
                     f"SHOW POOLS cl_active never above PoolMaxSize={POOL_MAX}", f"max {most['cl_active']}")
        self.c.check(0 < most["servers"] <= POOL_MAX,
                     f"SHOW POOLS server connections never above PoolMaxSize={POOL_MAX}",
                     f"max sv_active {most['sv_active']}, max of all sv_* {most['servers']}")
        idle = self.bouncer.pool()
        self.c.check(0 < idle["cl_active"] <= POOL_MAX,
                     "the pooled connections stay open at PgBouncer while idle", str(idle))
        if self.mode == "session":
            self.c.equal(idle["sv_active"], idle["cl_active"],
                         "session mode: each idle pooled connection holds a server connection (sv_active)")
        else:
            self.c.equal(idle["sv_active"], 0,
                         "transaction mode: idle pooled connections hold no server connection (sv_active)")

    def prepared(self):
        cnxn = self.connect(autocommit=False)
        cursor = cnxn.cursor()
        cursor.execute("CREATE TABLE IF NOT EXISTS pgbouncer_prepared (id integer, name text, at date)")
        cursor.execute("DELETE FROM pgbouncer_prepared")
        cnxn.commit()
        insert = "INSERT INTO pgbouncer_prepared (id, name, at) VALUES (?, ?, ?)"
        # The same statement across transaction ends: through transaction
        # pooling each transaction may run on another server connection.
        for i in range(6):
            cursor.execute(insert, i, f"name-{i}", None if i % 2 else "2026-12-0%d" % (i + 1))
            if i % 3 == 2:
                cnxn.rollback()
            else:
                cnxn.commit()
        rows = cursor.execute("SELECT id FROM pgbouncer_prepared ORDER BY id").fetchall()
        self.c.equal([r[0] for r in rows], [0, 1, 3, 4], "one INSERT executed across commits and rollbacks")
        cursor.executemany(insert, [(10 + i, f"many-{i}", "2026-12-03") for i in range(20)])
        cnxn.commit()
        self.c.equal(cursor.execute("SELECT count(*) FROM pgbouncer_prepared WHERE id >= 10").fetchone()[0],
                     20, "executemany inserted 20 rows")
        # Two cursors interleaved, each with its own prepared statement.
        a, b = cnxn.cursor(), cnxn.cursor()
        seen = []
        for i in range(5):
            x = a.execute("SELECT name FROM pgbouncer_prepared WHERE id = ?", i).fetchone()
            y = b.execute("SELECT CAST(? AS text) || '/' || CAST(? AS text)", i, "b").fetchone()[0]
            seen.append((x[0] if x else None, y))
        cnxn.commit()
        self.c.equal(seen, [("name-0", "0/b"), ("name-1", "1/b"), (None, "2/b"), ("name-3", "3/b"),
                            ("name-4", "4/b")], "two cursors' prepared statements interleaved")
        nulls = cursor.execute("SELECT count(*) FROM pgbouncer_prepared WHERE at IS NULL AND id < ?",
                               10).fetchone()[0]
        self.c.equal(nulls, 2, "NULL parameters stored as NULL")
        cnxn.commit()
        cnxn.close()
        # The same on fresh borrows, many times: a prepared statement of one
        # borrow must never be found missing (26000) or already there
        # (42P05) by the next.
        failures, examples = self.run_threads(4, 60, self.prepared_cycle)
        self.c.equal(sum(failures.values()), 0, f"prepared cycles failed of 60 {dict(failures)} {examples}")

    def reset(self):
        setup = self.connect()
        setup.execute("CREATE TABLE IF NOT EXISTS pgbouncer_reset (v integer)")
        setup.execute("DELETE FROM pgbouncer_reset")
        setup.close()
        self.bouncer.restart()
        time.sleep(BYPASS + 0.2)  # setup's connection is dead now: checked, not handed out
        left = self.connect()
        if self.mode == "session":
            # Outside the transaction: the rollback does not undo these.
            left.execute("SET search_path = pg_catalog, public, leftover")
            left.execute("CREATE TEMPORARY TABLE pgbouncer_leftover (v integer)")
            left.execute("PREPARE pgbouncer_leftover_plan AS SELECT 1")
        left.execute("BEGIN")
        left.execute("INSERT INTO pgbouncer_reset VALUES (1)")
        held = self.bouncer.pool()
        self.c.equal(held["sv_active"], 1, "a borrower inside a transaction holds a server connection")
        left.close()
        after = self.bouncer.pool()
        if self.mode == "transaction":
            self.c.equal(after["sv_active"], 0,
                         "after it disconnects, the idle pooled connection holds no server connection")
        else:
            self.c.equal(after["cl_active"], 1, "the pooled connection stays open at PgBouncer")
        nxt = self.connect()
        self.c.equal(nxt.execute("SELECT count(*) FROM pgbouncer_reset").fetchone()[0], 0,
                     "the next borrower does not see the uncommitted row")
        self.c.equal(nxt.execute("SELECT CASE WHEN pg_catalog.txid_current_if_assigned() IS NULL "
                                 "THEN 0 ELSE 1 END").fetchone()[0], 0,
                     "the next borrower is not inside the left transaction")
        if self.mode == "session":
            self.c.equal(nxt.execute("SHOW search_path").fetchone()[0], '"$user", public',
                         "the next borrower has the default search_path")
            self.c.equal(nxt.execute("SELECT count(*) FROM pg_catalog.pg_class "
                                     "WHERE relname = 'pgbouncer_leftover'").fetchone()[0], 0,
                         "the next borrower does not see the temporary table")
            self.c.equal(nxt.execute("SELECT count(*) FROM pg_catalog.pg_prepared_statements "
                                     "WHERE name = 'pgbouncer_leftover_plan'").fetchone()[0], 0,
                         "the next borrower does not see the SQL PREPARE")
        logins = self.bouncer.logins()
        nxt.close()
        again = self.connect()
        again.execute("SELECT 1").fetchone()
        again.close()
        self.c.equal(self.bouncer.logins() - logins, 0,
                     "the connection was reset and reused, not closed (no new login at PgBouncer)")
        check = self.connect(dsn=self.direct, extra="")
        self.c.equal(check.execute("SELECT count(*) FROM pgbouncer_reset").fetchone()[0], 0,
                     "the row was rolled back (seen directly)")
        check.close()

    def reconnect(self):
        stop = threading.Event()
        failures = collections.Counter()
        examples = {}
        done = [0]
        lock = threading.Lock()

        def worker():
            i = 0
            while not stop.is_set():
                try:
                    self.prepared_cycle(i)
                    with lock:
                        done[0] += 1
                except Exception as e:
                    state = e.args[0] if isinstance(e, pyodbc.Error) and e.args else type(e).__name__
                    with lock:
                        failures[state] += 1
                        examples.setdefault(state, str(e)[:200])
                i += 1

        def servers():
            return {(r["remote_pid"], r["connect_time"]) for r in self.bouncer.admin("SHOW SERVERS")
                    if r["database"] == "odbcpool_test"}

        workers = [threading.Thread(target=worker) for _ in range(4)]
        for t in workers:
            t.start()
        while done[0] < 40 and not failures:
            time.sleep(0.05)
        before = servers()
        self.bouncer.admin("RECONNECT")
        mark = done[0]
        while done[0] < mark + 80 and not failures:
            time.sleep(0.05)
        after = servers()
        stop.set()
        for t in workers:
            t.join()
        self.c.equal(sum(failures.values()), 0,
                     f"cycles failed around RECONNECT ({done[0]} succeeded) {dict(failures)} {examples}")
        self.c.check(done[0] >= mark + 80, "80 cycles ran after RECONNECT", f"{done[0] - mark}")
        if self.mode == "transaction":
            self.c.check(not (before & after), "transaction mode: RECONNECT replaced the server connections",
                         f"before {sorted(before)}, after {sorted(after)}")
        else:
            # Session mode: PgBouncer closes a server connection only once its
            # client lets go of it, and odbcpool keeps its connections open.
            print(f"note: session mode, server connections before RECONNECT {sorted(before)}, "
                  f"after {sorted(after)}")

    def restart(self):
        for how in (None, "kill"):
            label = "SIGKILL" if how else "SIGTERM"
            warm = [self.connect() for _ in range(POOL_MAX)]
            for cnxn in warm:
                cnxn.execute("SELECT 1").fetchone()
            held = warm.pop()
            for cnxn in warm:
                cnxn.close()
            logins = self.bouncer.logins()
            self.bouncer.restart(how)
            # The documented window: a connection returned less than
            # PoolValidationBypass ago is handed out unchecked.
            time.sleep(BYPASS + 0.2)
            failures, examples = self.run_threads(4, 40, self.prepared_cycle)
            self.c.equal(sum(failures.values()), 0,
                         f"{label}: cycles failed of 40 after the restart {dict(failures)} {examples}")
            opened = self.bouncer.logins()  # PgBouncer appends to its log across restarts
            self.c.check(0 < opened - logins <= POOL_MAX,
                         f"{label}: the pool opened new connections to the new PgBouncer, at most {POOL_MAX}",
                         f"{opened - logins} logins")
            try:
                held.execute("SELECT 1").fetchone()
                state = None
            except pyodbc.Error as e:
                state = e.args[0] if e.args else "?"
            self.c.check(state is not None and state.startswith("08"),
                         f"{label}: a connection held across the restart fails on its next query (08xxx)",
                         f"SQLSTATE {state}")
            held.close()
            failures, examples = self.run_threads(4, 20, self.prepared_cycle)
            self.c.equal(sum(failures.values()), 0,
                         f"{label}: cycles failed of 20 after that failure {dict(failures)} {examples}")
            pool = self.bouncer.pool()
            self.c.check(pool["cl_active"] <= POOL_MAX,
                         f"{label}: at most PoolMaxSize={POOL_MAX} connections at PgBouncer", str(pool))
        # Inside the window: connections returned less than
        # PoolValidationBypass before the restart are handed out unchecked
        # (psqlODBC's SQL_ATTR_CONNECTION_DEAD answers from local state). A
        # window of an hour (a pool of its own: ConnSettings makes the
        # target string differ) puts all of them inside it, however long the
        # restart takes. The first query on one fails; that failure makes the
        # pool check the others, so it is the only one.
        window = "PoolValidationBypass=1h;ConnSettings=SET application_name='inside-window'"
        extra = f"{self.extra};{window}" if self.extra else window
        warm = [self.connect(extra=extra) for _ in range(POOL_MAX)]
        for cnxn in warm:
            cnxn.execute("SELECT 1").fetchone()
        for cnxn in warm:
            cnxn.close()
        self.bouncer.restart("kill")

        def cycle(i):
            cnxn = self.connect(extra=extra)
            try:
                cursor = cnxn.cursor()
                cursor.execute("SELECT CAST(? AS integer) + 1", i).fetchone()
            finally:
                cnxn.close()

        failures, examples = self.run_threads(1, 20, cycle)
        self.c.equal(sum(failures.values()), 1,
                     f"restart inside PoolValidationBypass: cycles of 20 that fail {dict(failures)} {examples}")

    def findings(self):
        if self.mode != "transaction":
            sys.exit("findings: transaction mode only")
        for dsn, extra in ((self.direct, "UseServerSidePrepare=1"), (self.pooled, "UseServerSidePrepare=1"),
                           (self.direct, ""), (self.pooled, "")):
            def cycle(i, dsn=dsn, extra=extra):
                cnxn = self.connect(dsn=dsn, extra=extra)
                try:
                    cursor = cnxn.cursor()
                    for j in range(5):
                        cursor.execute("SELECT CAST(? AS integer) + 1", j).fetchone()
                finally:
                    cnxn.close()

            for threads in (1, 4):
                failures, examples = self.run_threads(threads, 120, cycle)
                print(f"{dsn} {extra or 'UseServerSidePrepare=0 (the DSN)'}, {threads} thread(s): "
                      f"{sum(failures.values())} of 120 cycles failed {dict(failures)}")
                for state, text in examples.items():
                    print(f"    {state}: {text.splitlines()[0]}")
        print("pool after:", self.bouncer.pool())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["session", "transaction"])
    parser.add_argument("drill", choices=["cycles", "prepared", "reset", "reconnect", "restart", "findings"])
    parser.add_argument("--pooled-extra", default="")
    parser.add_argument("--dsn")
    args = parser.parse_args()
    drill = Drill(args.mode, args)
    # Every drill starts on a new PgBouncer process: counts from zero, no
    # server connections of an earlier drill, and the auth file written with
    # the role's current secret (a restart of the server changes it).
    drill.bouncer.restart()
    getattr(drill, args.drill)()
    if drill.c.failures:
        print(f"{drill.c.failures} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
