#!/usr/bin/env python3
"""Pool drills against MariaDB through odbcpool (DSN mariadb_pooled, in
front of MariaDB Connector/ODBC as mariadb_direct).

    mariadb_drill_test.py DRILL [--pooled-extra 'Key=Value;...'] [--dsn DSN]

DRILL is one of:
  reuse        1,000 connect/query/disconnect cycles use at most PoolMaxSize
               server connections (CONNECTION_ID() and the server's
               Connections counter)
  killed-idle  idle pooled connections killed with KILL from an admin
               connection: the next connects and queries see no error
  reset        what one borrower leaves behind (open transaction, isolation
               level by SQL and by SQL_ATTR_TXN_ISOLATION, user variables,
               sql_mode, autocommit, temporary table) is not seen by the
               next borrower of the same server connection
  reset-restored  session state changed by SQL (autocommit, isolation,
               sql_mode, time_zone, wait_timeout, USE, GET_LOCK, LOCK
               TABLES) is put back for the next borrower by the default
               PoolResetStatement=auto
  reset-findings  what does leak to the next borrower with the default
               (a user variable, a temporary table; not in ctest: it
               documents what auto leaves)
  two-users    two users get two pools: disjoint CONNECTION_ID sets, the
               right CURRENT_USER() on every connection
  clean-exit   a process that exits normally with idle pooled connections
               does not raise Aborted_clients (one killed with SIGKILL may;
               that is printed, never asserted)
  restart      the server stopped and started again under load (eight
               threads borrowing and querying through one pool of four):
               no error before the stop, errors while it is down, none in
               any borrow begun after it is back, and the pool's connections
               afterwards are good and at most PoolMaxSize (mirrors
               tests/pool_drills/restart_drill_test.cpp for PostgreSQL)

--pooled-extra appends keys to the pooled connection string, --dsn
replaces mariadb_pooled and --os-exit makes the clean-exit child leave by
os._exit: they exist to break a drill on purpose and see it fail
(reuse --dsn mariadb_direct; killed-idle --pooled-extra PoolValidation=none;
reset --pooled-extra PoolResetOnReturn=no; two-users --dsn mariadb_direct;
clean-exit --os-exit; restart --pooled-extra PoolValidation=none).
Every check prints what it compared. Exits 1 if any check fails.
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import threading
import time

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from test_checks import Checks, scalar  # noqa: E402

pyodbc.pooling = False  # the Driver Manager's pool must stay out of the way

DIRECT = "DSN=mariadb_direct"
USER2 = "UID=odbcpool2;PWD=odbcpool2-secret"


def global_status(admin, name):
    row = admin.execute(f"SHOW GLOBAL STATUS LIKE '{name}'").fetchone()
    return int(row[1])


class Drill:
    def __init__(self, args):
        self.args = args
        self.checks = Checks()
        self.dsn = args.dsn

    def pooled(self, extra=""):
        parts = [f"DSN={self.dsn}"]
        if extra:
            parts.append(extra)
        if self.args.pooled_extra:
            parts.append(self.args.pooled_extra)
        return ";".join(parts)

    def admin(self):
        return pyodbc.connect(DIRECT, autocommit=True)

    # ---- reuse
    def reuse(self):
        max_size = 3
        cs = self.pooled(f"PoolMaxSize={max_size}")
        admin = self.admin()
        admin_id = scalar(admin, "SELECT CONNECTION_ID()")
        before = global_status(admin, "Connections")
        ids = set()
        failures = 0
        cycles = 1000
        for i in range(cycles):
            try:
                # Every tenth cycle holds three connections at once, so that
                # the pool has to grow to PoolMaxSize.
                held = [pyodbc.connect(cs, autocommit=True) for _ in range(3 if i % 10 == 0 else 1)]
                for c in held:
                    ids.add(scalar(c, "SELECT CONNECTION_ID()"))
                for c in held:
                    c.close()
            except pyodbc.Error as e:
                failures += 1
                if failures <= 3:
                    print(f"cycle {i}: {e}")
        after = global_status(admin, "Connections")
        self.checks.equal(failures, 0, f"{cycles} pooled connect/query/disconnect cycles without an error")
        self.checks.check(
            len(ids) <= max_size,
            f"distinct CONNECTION_ID() over {cycles} cycles <= PoolMaxSize={max_size}",
            f"observed {len(ids)}: {sorted(ids)}",
        )
        self.checks.check(admin_id not in ids, "the admin connection was never lent", f"admin {admin_id}")
        opened = after - before
        self.checks.check(
            opened <= max_size,
            f"server-side Connections rose by <= PoolMaxSize={max_size}",
            f"Connections {before} -> {after}, rose by {opened}",
        )
        admin.close()

    # ---- killed idle
    def killed_idle(self):
        # Rounds 0-2 with PoolValidationBypass=0: a connection is validated at
        # every borrow. Round 3 with the default validation, the connections
        # left idle for longer than the default PoolValidationBypass (500ms)
        # after the KILL; a connection killed within that window is lent
        # unchecked by design, and its first query fails with 08S01.
        admin = self.admin()
        for round_ in range(4):
            if round_ < 3:
                cs = self.pooled("PoolMaxSize=2;PoolValidationBypass=0")
            else:
                cs = self.pooled("PoolMaxSize=2;DrillCase=default-validation")
            held = [pyodbc.connect(cs, autocommit=True) for _ in range(2)]
            ids = [scalar(c, "SELECT CONNECTION_ID()") for c in held]
            for c in held:
                c.close()  # both idle in the pool now
            for i in ids:
                admin.execute(f"KILL {int(i)}")
            # Wait until the server has really let them go (bounded; not an assertion on time).
            for _ in range(100):
                alive = {r[0] for r in admin.execute("SELECT ID FROM information_schema.PROCESSLIST").fetchall()}
                if not alive & set(ids):
                    break
                time.sleep(0.05)
            if round_ == 3:
                time.sleep(0.8)  # past PoolValidationBypass=500ms, so that validation runs
            print(f"round {round_}: killed idle connections {ids} ({cs})")
            seen = []
            again = []
            try:
                for _ in range(2):
                    again.append(pyodbc.connect(cs, autocommit=True))
                seen = [scalar(c, "SELECT CONNECTION_ID()") for c in again]
                value = [scalar(c, "SELECT 40 + 2") for c in again]
                self.checks.equal(value, [42, 42], f"round {round_}: two connects and queries after the KILL")
            except pyodbc.Error as e:
                self.checks.check(False, f"round {round_}: connect and query after KILL without an error", str(e))
            finally:
                for c in again:
                    c.close()
            self.checks.check(
                not set(seen) & set(ids),
                f"round {round_}: the new connections are not the killed ones",
                f"killed {ids}, lent {seen}",
            )
        admin.close()

    # ---- reset
    def fresh_state(self):
        """What a brand-new physical connection looks like."""
        c = pyodbc.connect(DIRECT, autocommit=True)
        state = self.session_state(c)
        c.close()
        return state

    STATE_SQL = {
        "@@tx_isolation": "SELECT @@SESSION.tx_isolation",
        "@@in_transaction": "SELECT @@in_transaction",
        "@@autocommit": "SELECT @@SESSION.autocommit",
        "@x": "SELECT @x",
        "@@sql_mode": "SELECT @@SESSION.sql_mode",
        "@@time_zone": "SELECT @@SESSION.time_zone",
        "@@wait_timeout": "SELECT @@SESSION.wait_timeout",
        "DATABASE()": "SELECT DATABASE()",
        "GET_LOCK('drill_lock') held": "SELECT IFNULL(IS_USED_LOCK('drill_lock') = CONNECTION_ID(), 0)",
    }

    def session_state(self, c):
        state = {k: scalar(c, sql) for k, sql in self.STATE_SQL.items()}
        # information_schema.TEMPORARY_TABLES only exists from MariaDB 11.2.
        try:
            c.execute("SELECT 1 FROM drill_tmp LIMIT 0").fetchall()
            state["temporary table drill_tmp"] = "exists"
        except pyodbc.Error:
            state["temporary table drill_tmp"] = "absent"
        # Under LOCK TABLES only the locked tables can be read.
        try:
            c.execute("SELECT 1 FROM mysql.db LIMIT 0").fetchall()
            state["LOCK TABLES in effect"] = "no"
        except pyodbc.Error:
            state["LOCK TABLES in effect"] = "yes"
        return state

    def borrow_pair(self, case, dirty, what, keys):
        """One borrower runs dirty(c) and disconnects; the next borrower of
        the same server connection must see keys as a fresh connection has
        them. Each case has a pool of its own (DrillCase is passed to the
        target, which ignores it, and makes a different pool key), so that
        what one case leaves behind cannot spoil the next."""
        cs = self.pooled(f"PoolMaxSize=1;DrillCase={case}")
        c = pyodbc.connect(cs, autocommit=True)
        first = scalar(c, "SELECT CONNECTION_ID()")
        dirty(c)
        c.close()
        c = pyodbc.connect(cs, autocommit=True)
        second = scalar(c, "SELECT CONNECTION_ID()")
        state = self.session_state(c)
        rows = scalar(c, "SELECT COUNT(*) FROM odbcpool_test.drill_reset")
        c.close()
        self.checks.equal(second, first, f"{what}: the next borrower has the same server connection")
        for k in keys:
            self.checks.equal(state[k], self.fresh[k], f"{what}: next borrower's {k} is a fresh connection's")
        self.checks.equal(rows, 0, f"{what}: nothing the first borrower wrote was committed")

    def prepare_reset(self):
        admin = self.admin()
        admin.execute("CREATE TABLE IF NOT EXISTS drill_reset (id INT PRIMARY KEY) ENGINE=InnoDB")
        admin.execute("DELETE FROM drill_reset")
        admin.close()
        self.fresh = self.fresh_state()
        print(f"a fresh connection: {self.fresh}")

    def reset(self):
        """What odbcpool guarantees on return: the transaction rolled back,
        the connection attributes the application changed put back."""
        self.prepare_reset()

        def txn_by_sql(c):
            c.execute("START TRANSACTION")
            c.execute("INSERT INTO drill_reset VALUES (1)")
            print(f"  first borrower: @@in_transaction={scalar(c, 'SELECT @@in_transaction')}")

        self.borrow_pair("txn-sql", txn_by_sql, "open START TRANSACTION, INSERT", ["@@in_transaction"])

        def txn_by_autocommit_off(c):
            c.autocommit = False
            c.execute("INSERT INTO drill_reset VALUES (2)")
            # Left without commit or rollback. pyodbc's close() rolls back
            # itself when autocommit is off; what this checks is that the
            # next borrower has autocommit on again (odbcpool restores the
            # attribute). START TRANSACTION above and SET autocommit=0 below
            # hand odbcpool a transaction that pyodbc does not know of.
            print(f"  first borrower: @@in_transaction={scalar(c, 'SELECT @@in_transaction')}")

        self.borrow_pair(
            "txn-attr", txn_by_autocommit_off, "SQL_ATTR_AUTOCOMMIT off, INSERT", ["@@in_transaction", "@@autocommit"]
        )

        def autocommit_by_sql(c):
            c.execute("SET autocommit = 0")
            c.execute("INSERT INTO drill_reset VALUES (3)")
            print(f"  first borrower: @@in_transaction={scalar(c, 'SELECT @@in_transaction')}")

        # @@autocommit itself: see reset-restored.
        self.borrow_pair("autocommit-sql", autocommit_by_sql, "SET autocommit=0, INSERT", ["@@in_transaction"])

        def isolation_by_attr(c):
            c.set_attr(pyodbc.SQL_ATTR_TXN_ISOLATION, pyodbc.SQL_TXN_SERIALIZABLE)
            print(f"  first borrower: tx_isolation={scalar(c, 'SELECT @@SESSION.tx_isolation')}")

        self.borrow_pair("isolation-attr", isolation_by_attr, "SQL_ATTR_TXN_ISOLATION=SERIALIZABLE", ["@@tx_isolation"])

    def reset_restored(self):
        """Server-side session state a borrower changes with SQL, which
        PoolResetStatement=auto puts back for MariaDB on return (the opening
        session variables set again, named locks and table locks released,
        the opening database used again): Connector/ODBC has no reset of
        its own that works (reset_connection_probe.py)."""
        self.prepare_reset()

        def autocommit_by_sql(c):
            c.execute("SET autocommit = 0")

        self.borrow_pair("f-autocommit", autocommit_by_sql, "SET autocommit=0", ["@@autocommit"])

        # What a leftover autocommit=0 would cost the next borrower: its
        # write, made with autocommit on as far as ODBC knows, rolled back
        # when it disconnects.
        cs = self.pooled("PoolMaxSize=1;DrillCase=f-lost-write")
        c = pyodbc.connect(cs, autocommit=True)
        c.execute("SET autocommit = 0")
        c.close()
        c = pyodbc.connect(cs, autocommit=True)
        c.execute("INSERT INTO drill_reset VALUES (10)")
        c.close()
        admin = self.admin()
        kept = scalar(admin, "SELECT COUNT(*) FROM drill_reset WHERE id = 10")
        admin.execute("DELETE FROM drill_reset")
        admin.close()
        self.checks.equal(kept, 1, "after SET autocommit=0 by the previous borrower, an autocommit INSERT is kept")

        def isolation_by_sql(c):
            c.execute("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE")

        self.borrow_pair("f-isolation", isolation_by_sql, "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE", ["@@tx_isolation"])

        def session_variables(c):
            c.execute("SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'")
            c.execute("SET SESSION time_zone = '+05:00', SESSION wait_timeout = 1234")

        self.borrow_pair(
            "f-sessionvars", session_variables, "SET SESSION sql_mode, time_zone, wait_timeout",
            ["@@sql_mode", "@@time_zone", "@@wait_timeout"],
        )

        def use_other_database(c):
            c.execute("USE mysql")

        self.borrow_pair("f-use", use_other_database, "USE mysql", ["DATABASE()"])

        def user_lock(c):
            c.execute("SELECT GET_LOCK('drill_lock', 0)").fetchall()

        self.borrow_pair("f-getlock", user_lock, "SELECT GET_LOCK('drill_lock')", ["GET_LOCK('drill_lock') held"])

        def lock_tables(c):
            c.execute("LOCK TABLES drill_reset READ")

        self.borrow_pair("f-locktables", lock_tables, "LOCK TABLES drill_reset READ", ["LOCK TABLES in effect"])
        # SET NAMES is not tried: Connector/ODBC refuses it (HY000 "SQL
        # command SET NAMES is not allowed").

    def reset_findings(self):
        """What still reaches the next borrower with PoolResetStatement=auto
        on MariaDB, documented in docs/configuration.md: a user variable and
        a temporary table (MariaDB has no statement that lists the one or
        drops the other without knowing its name). Both checks fail."""
        self.prepare_reset()

        def user_variable(c):
            c.execute("SET @x = 1")

        self.borrow_pair("f-uservar", user_variable, "SET @x=1", ["@x"])

        def temporary_table(c):
            c.execute("CREATE TEMPORARY TABLE drill_tmp (a INT)")

        self.borrow_pair("f-temporary", temporary_table, "CREATE TEMPORARY TABLE", ["temporary table drill_tmp"])

    # ---- two users
    def two_users(self):
        cs1 = self.pooled("PoolMaxSize=2")
        cs2 = self.pooled(f"{USER2};PoolMaxSize=2")
        ids = {"odbcpool": set(), "odbcpool2": set()}
        wrong = []
        for i in range(100):
            # Both users at once, so that either pool could be tempted to lend across.
            # Every third cycle each user holds two, so both pools grow to PoolMaxSize.
            n = 2 if i % 3 == 0 else 1
            held = [("odbcpool", pyodbc.connect(cs1, autocommit=True)) for _ in range(n)]
            held += [("odbcpool2", pyodbc.connect(cs2, autocommit=True)) for _ in range(n)]
            for user, c in held:
                cid, current = c.execute("SELECT CONNECTION_ID(), CURRENT_USER()").fetchone()
                ids[user].add(cid)
                if current != f"{user}@%":
                    wrong.append((i, user, current))
            for _, c in held if i % 2 else reversed(held):
                c.close()
        self.checks.equal(wrong, [], "CURRENT_USER() is the user who connected, on every connection")
        self.checks.check(
            not ids["odbcpool"] & ids["odbcpool2"],
            "the two users' CONNECTION_ID sets are disjoint",
            f"odbcpool {sorted(ids['odbcpool'])}, odbcpool2 {sorted(ids['odbcpool2'])}",
        )
        for user, s in ids.items():
            self.checks.check(len(s) <= 2, f"{user}: at most PoolMaxSize=2 server connections", f"observed {len(s)}")

    # ---- clean exit
    def child(self, how):
        """Runs in a child process: three pooled connections, returned idle."""
        cs = self.pooled("PoolMaxSize=3")
        held = [pyodbc.connect(cs, autocommit=True) for _ in range(3)]
        ids = [scalar(c, "SELECT CONNECTION_ID()") for c in held]
        for c in held:
            c.close()
        print(" ".join(str(i) for i in ids), flush=True)
        if how == "kill":
            sys.stdin.read()  # the parent kills us while we wait
        if self.args.os_exit:
            os._exit(0)  # breaks the drill on purpose: no atexit, no static destructors
        # a normal exit: the idle pooled connections are still open here

    def run_child(self, how, admin):
        argv = [sys.executable, os.path.abspath(__file__), "child-" + how, "--dsn", self.dsn]
        if self.args.pooled_extra:
            argv += ["--pooled-extra", self.args.pooled_extra]
        if self.args.os_exit:
            argv.append("--os-exit")
        before = global_status(admin, "Aborted_clients")
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        ids = [int(x) for x in line.split()]
        if how == "kill":
            p.send_signal(signal.SIGKILL)
        p.communicate()
        # Wait until the server has seen all three go (bounded; not an assertion on time).
        for _ in range(200):
            alive = {r[0] for r in admin.execute("SELECT ID FROM information_schema.PROCESSLIST").fetchall()}
            if not alive & set(ids):
                break
            time.sleep(0.05)
        else:
            alive = {r[0] for r in admin.execute("SELECT ID FROM information_schema.PROCESSLIST").fetchall()}
        after = global_status(admin, "Aborted_clients")
        return p.returncode, ids, sorted(alive & set(ids)), before, after

    def clean_exit(self):
        admin = self.admin()
        rc, ids, left, before, after = self.run_child("exit", admin)
        self.checks.equal(rc, 0, "the child exited normally")
        self.checks.equal(len(ids), 3, "the child held three pooled connections")
        self.checks.equal(left, [], f"the child's server connections {ids} are gone after it exited")
        self.checks.equal(after - before, 0, f"Aborted_clients did not rise at a normal exit ({before} -> {after})")
        rc, ids, left, before, after = self.run_child("kill", admin)
        print(
            f"info: after SIGKILL (rc {rc}) of a child with idle pooled connections {ids}: "
            f"Aborted_clients {before} -> {after} (not asserted; a rise shows the counter "
            f"would have caught an unclean exit), still on the server: {left}"
        )
        admin.close()

    # ---- restart under load
    def server_control(self, *args):
        script = os.environ["ODBCPOOL_TEST_MARIADB_SERVER"]
        directory = os.environ["ODBCPOOL_TEST_MARIADB_DIR"]
        argv = ["bash", script, args[0], directory] + list(args[1:])
        return subprocess.run(argv, stdin=subprocess.DEVNULL, timeout=300).returncode

    def restart(self):
        threads = 8
        max_size = 4
        warm = 20  # operations per thread before the stop, all of them good
        after = 50  # operations per thread begun after the server is back
        cs = self.pooled(f"PoolMaxSize={max_size};PoolAcquireTimeout=10s;DrillCase=restart")
        port = os.environ["ODBCPOOL_TEST_MARIADB_PORT"]
        lock = threading.Lock()
        epoch = [0]  # 0 before the stop, 1 while down, 2 once the server is back
        ops = [collections.Counter() for _ in range(threads)]  # epoch -> operations begun
        failed = [collections.Counter() for _ in range(threads)]  # epoch -> failures
        states = [collections.Counter() for _ in range(threads)]  # (epoch, SQLSTATE) -> count
        first_error = [{} for _ in range(threads)]  # (epoch, SQLSTATE) -> first message
        slowest = [0.0] * threads
        stop = threading.Event()

        def work(n):
            while not stop.is_set():
                began = epoch[0]
                started = time.monotonic()
                c = None
                try:
                    c = pyodbc.connect(cs, autocommit=True)
                    if scalar(c, "SELECT CONNECTION_ID()") <= 0:
                        raise RuntimeError("no connection id")
                    if scalar(c, "SELECT 40 + 2") != 42:
                        raise RuntimeError("wrong answer")
                    c.close()
                    c = None
                    ok = True
                except (pyodbc.Error, RuntimeError) as e:
                    ok = False
                    state = e.args[0] if isinstance(e, pyodbc.Error) and e.args else "(none)"
                    with lock:
                        failed[n][began] += 1
                        states[n][(began, state)] += 1
                        first_error[n].setdefault((began, state), str(e))
                    if c is not None:
                        try:
                            c.close()
                        except pyodbc.Error:
                            pass
                slowest[n] = max(slowest[n], time.monotonic() - started)
                with lock:
                    ops[n][began] += 1
                if not ok:
                    time.sleep(0.02)

        def wait_ops(e, target):
            # No time limit here: the ctest TIMEOUT is what catches a hang.
            while any(ops[n][e] < target for n in range(threads)):
                time.sleep(0.01)

        def report():
            lines = []
            for n in range(threads):
                per = ", ".join(f"epoch {e}: {ops[n][e]} ops {failed[n][e]} failed" for e in range(3))
                st = ", ".join(f"{e}/{s} x{k}" for (e, s), k in sorted(states[n].items()))
                lines.append(f"  thread {n}: {per}; slowest {slowest[n]:.3f} s" + (f"; {st}" if st else ""))
                for (e, st), m in sorted(first_error[n].items()):
                    lines.append(f"    first {st} in epoch {e}: {m}")
            return "\n".join(lines)

        # A second pool of the same size whose connections sit idle through
        # the restart: nothing lends them while the server is down, so they
        # are all dead when it is back.
        idle_cs = self.pooled(f"PoolMaxSize={max_size};DrillCase=restart-idle")
        held = [pyodbc.connect(idle_cs, autocommit=True) for _ in range(max_size)]
        idle_before = {scalar(c, "SELECT CONNECTION_ID()") for c in held}
        for c in held:
            c.close()

        workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(threads)]
        stopped = False
        try:
            for w in workers:
                w.start()
            wait_ops(0, warm)
            # Operations begun from here on may meet the server going down.
            epoch[0] = 1
            stopped = True
            rc = self.server_control("stop")
            self.checks.equal(rc, 0, "mariadb-server stop")
            time.sleep(2)  # the outage
            rc = self.server_control("start", port)
            self.checks.equal(rc, 0, "mariadb-server start")
            stopped = rc != 0
            epoch[0] = 2
            wait_ops(2, after)
        finally:
            stop.set()
            for w in workers:
                w.join()
            if stopped:
                self.server_control("start", port)
        print("restart under load:\n" + report())
        total = [sum(c[e] for c in failed) for e in range(3)]
        self.checks.equal(total[0], 0, "no operation failed before the stop")
        self.checks.check(total[1] > 0, "operations failed while the server was down", f"{total[1]} failed")
        self.checks.equal(total[2], 0, "no operation begun after the server was back failed (every thread)")
        # The idle pool: every connection it lends after the restart is good.
        idle_errors = []
        idle_after = set()
        held = []
        for _ in range(max_size):
            try:
                c = pyodbc.connect(idle_cs, autocommit=True)
                held.append(c)
                idle_after.add(scalar(c, "SELECT CONNECTION_ID()"))
            except pyodbc.Error as e:
                idle_errors.append(str(e))
        for c in held:
            c.close()
        self.checks.equal(idle_errors, [], f"{max_size} borrows at once from the pool left idle through the restart")
        # (CONNECTION_ID() starts again from 1 after a restart: the ids
        # cannot tell an old connection from a new one.)
        print(f"idle pool: connection ids {sorted(idle_before)} before the restart, {sorted(idle_after)} after")
        # The pool afterwards: its connections are good, and there are at most PoolMaxSize of them.
        admin = self.admin()
        admin_id = scalar(admin, "SELECT CONNECTION_ID()")
        held = [pyodbc.connect(cs, autocommit=True) for _ in range(max_size)]
        answers = [scalar(c, "SELECT 40 + 2") for c in held]
        ids = {scalar(c, "SELECT CONNECTION_ID()") for c in held}
        for c in held:
            c.close()
        others = {
            r[0]
            for r in admin.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'odbcpool'").fetchall()
        } - {admin_id} - idle_after
        admin.close()
        self.checks.equal(answers, [42] * max_size, f"{max_size} connections held at once afterwards answer")
        self.checks.equal(len(ids), max_size, f"they are {max_size} distinct server connections")
        self.checks.check(
            len(others) <= max_size,
            f"the drill's pool holds at most PoolMaxSize={max_size} server connections",
            f"server connections of odbcpool besides the admin and the idle pool: {sorted(others)}",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "drill",
        choices=["reuse", "killed-idle", "reset", "reset-restored", "reset-findings", "two-users", "clean-exit", "restart",
                 "child-exit", "child-kill"],
    )
    parser.add_argument("--dsn", default="mariadb_pooled")
    parser.add_argument("--pooled-extra", default="")
    parser.add_argument("--os-exit", action="store_true", help="clean-exit: the child leaves by os._exit (to break it)")
    args = parser.parse_args()
    drill = Drill(args)
    if args.drill.startswith("child-"):
        drill.child(args.drill[len("child-"):])
        return 0
    print(f"drill {args.drill} through {drill.pooled()}")
    getattr(drill, args.drill.replace("-", "_"))()
    print(f"{drill.checks.failures} check(s) failed" if drill.checks.failures else "all checks passed")
    return 1 if drill.checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
