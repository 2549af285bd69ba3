#!/usr/bin/env python3
"""What each PoolValidation mode detects, per target (docs/validation.md).

    validation_modes_test.py {mariadb|postgres|sqlite} [--print-only]

For every PoolValidation mode (auto, query, dead-attr, none) and both sides
of the bypass window, one pooled connection is borrowed, returned idle and
then killed from a direct admin connection (MariaDB: KILL <id>; PostgreSQL:
pg_terminate_backend(<pid>)); the next borrow and its first query show what
the application sees:

  within  the kill and the next borrow come less than PoolValidationBypass
          after the return (the bypass is 10s here, so that a slow machine
          cannot push the borrow past it; with the default 500ms the same
          happens to a connection killed less than 500ms after its return)
  past    the next borrow comes after the window (default 500ms bypass,
          1s of sleep): the mode's check runs

SQLite has no server and nothing to kill; its nearest event, the database
file removed under an idle pooled connection, is measured instead.

Each outcome is asserted against the table in docs/validation.md, so a
driver or pool change that alters what a mode detects fails here. After
every case a third borrow must succeed: the pool never lends the same dead
connection twice. --print-only prints the table without asserting.
Exits 1 if any check fails.
"""

import argparse
import os
import sys
import tempfile
import time

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from test_checks import Checks, scalar  # noqa: E402

pyodbc.pooling = False  # the Driver Manager's pool must stay out of the way

MODES = ["auto", "query", "dead-attr", "none"]
TIMINGS = ["within", "past"]

# What the application sees at the borrow after the kill: "ok" (a good
# connection, the dead one was noticed and replaced) or the SQLSTATE of the
# first query's error on the dead connection that was lent.
EXPECTED = {
    "mariadb": {
        ("auto", "within"): "08S01",
        ("auto", "past"): "ok",
        ("query", "within"): "08S01",
        ("query", "past"): "ok",
        ("dead-attr", "within"): "08S01",
        # Connector/ODBC answers SQL_ATTR_CONNECTION_DEAD with a ping.
        ("dead-attr", "past"): "ok",
        ("none", "within"): "08S01",
        ("none", "past"): "08S01",
    },
    # psqlODBC answers SQL_ATTR_CONNECTION_DEAD from its local state, and the
    # first query on a terminated backend reads the server's FATAL 57P01
    # (admin_shutdown), which odbcpool treats as a connection failure too.
    "postgres": {
        ("auto", "within"): "57P01",
        ("auto", "past"): "ok",
        ("query", "within"): "57P01",
        ("query", "past"): "ok",
        ("dead-attr", "within"): "57P01",
        ("dead-attr", "past"): "57P01",
        ("none", "within"): "57P01",
        ("none", "past"): "57P01",
    },
}


def state_of(error):
    return error.args[0] if error.args else "(none)"


class Server:
    """How to reach, identify and kill a target's server connections."""

    def __init__(self, target):
        self.target = target
        if target == "mariadb":
            self.direct = "DSN=mariadb_direct"
            self.pooled_dsn = "mariadb_pooled"
            self.id_sql = "SELECT CONNECTION_ID()"
        else:
            self.direct = "DSN=pg_unicode_direct"
            self.pooled_dsn = "pg_unicode_pooled"
            self.id_sql = "SELECT pg_backend_pid()"
        self.admin = pyodbc.connect(self.direct, autocommit=True)

    def pooled(self, case, extra):
        # A pool of its own for every case: DrillCase is passed to
        # Connector/ODBC, which ignores it; psqlODBC runs ConnSettings.
        if self.target == "mariadb":
            key = f"DrillCase={case}"
        else:
            key = f"ConnSettings=SET application_name='vm_{case.replace('-', '_')}_{os.getpid()}'"
        return f"DSN={self.pooled_dsn};{key};PoolMaxSize=1;{extra}"

    def kill(self, ident):
        if self.target == "mariadb":
            self.admin.execute(f"KILL {int(ident)}")
        else:
            self.admin.execute(f"SELECT pg_terminate_backend({int(ident)})").fetchall()

    def alive(self, ident):
        if self.target == "mariadb":
            sql = f"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {int(ident)}"
        else:
            sql = f"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = {int(ident)}"
        return scalar(self.admin, sql) > 0

    def wait_gone(self, ident):
        # Bounded, and not an assertion on time: the outcome is what counts.
        for _ in range(200):
            if not self.alive(ident):
                return True
            time.sleep(0.02)
        return False


def borrow_and_query(cs, id_sql):
    """One borrow and its first query: ("ok", server connection id, "") or
    (SQLSTATE, "connect" or "query", message)."""
    try:
        c = pyodbc.connect(cs, autocommit=True)
    except pyodbc.Error as e:
        return state_of(e), "connect", str(e)
    try:
        ident = scalar(c, id_sql)
        return "ok", ident, ""
    except pyodbc.Error as e:
        return state_of(e), "query", str(e)
    finally:
        try:
            c.close()
        except pyodbc.Error:
            pass


def measure_server(target, checks):
    server = Server(target)
    table = {}
    for mode in MODES:
        for timing in TIMINGS:
            case = f"{mode}-{timing}"
            bypass = "PoolValidationBypass=10s" if timing == "within" else ""
            cs = server.pooled(case, f"PoolValidation={mode};{bypass}")
            c = pyodbc.connect(cs, autocommit=True)
            killed = scalar(c, server.id_sql)
            c.close()  # idle in the pool now
            returned = time.monotonic()
            server.kill(killed)
            gone = server.wait_gone(killed)
            if timing == "past":
                time.sleep(1.0)  # past the default PoolValidationBypass of 500ms
            since_return = time.monotonic() - returned
            seen, detail, message = borrow_and_query(cs, server.id_sql)
            # The dead connection, once its error was seen, must not be lent again.
            again, again_detail, again_message = borrow_and_query(cs, server.id_sql)
            table[(mode, timing)] = seen
            print(
                f"{target} {mode:9} {timing:6}: killed {killed} (gone: {gone}), next borrow "
                f"{since_return:.3f} s after the return -> "
                + (f"ok, a new connection {detail}" if seen == "ok" else f"{seen} at {detail}: {message}")
                + f"; the borrow after that -> {again}"
                + (f" (connection {again_detail})" if again == "ok" else f" {again_message}")
            )
            if seen == "ok":
                checks.check(detail != killed, f"{target} {case}: the connection lent is not the killed one")
            else:
                checks.equal(detail, "query", f"{target} {case}: the connect succeeds, the first query fails")
            checks.equal(seen, EXPECTED[target][(mode, timing)], f"{target} {case}: what the application sees")
            checks.equal(again, "ok", f"{target} {case}: the borrow after that gets a good connection")
    server.admin.close()
    return table


def measure_sqlite(checks):
    """No server: the nearest thing to a killed connection is the database
    file removed while the pooled connection sits idle."""
    table = {}
    with tempfile.TemporaryDirectory(prefix="odbcpool-validation-") as tmp:
        for mode in MODES:
            for timing in TIMINGS:
                case = f"{mode}-{timing}"
                path = os.path.join(tmp, f"{case}.sqlite")
                bypass = "PoolValidationBypass=10s" if timing == "within" else ""
                cs = (
                    f"DRIVER={{odbcpool}};TargetDriver={{SQLite3}};Database={path};"
                    f"PoolMaxSize=1;PoolValidation={mode};{bypass}"
                )
                c = pyodbc.connect(cs, autocommit=True)
                c.execute("CREATE TABLE t (a INTEGER)")
                c.execute("INSERT INTO t VALUES (1)")
                c.close()
                os.remove(path)
                if timing == "past":
                    time.sleep(1.0)
                try:
                    c = pyodbc.connect(cs, autocommit=True)
                    rows = scalar(c, "SELECT COUNT(*) FROM t")
                    c.close()
                    seen = f"ok, old file ({rows} row)"
                except pyodbc.Error as e:
                    seen = state_of(e)
                recreated = os.path.exists(path)
                print(f"sqlite {mode:9} {timing:6}: database file removed -> {seen}; file recreated: {recreated}")
                table[(mode, timing)] = seen
                checks.equal(seen, "ok, old file (1 row)", f"sqlite {case}: the connection is lent and reads the removed file")
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["mariadb", "postgres", "sqlite"])
    parser.add_argument("--print-only", action="store_true", help="print the table, assert nothing")
    args = parser.parse_args()
    checks = Checks(enforce=not args.print_only)
    if args.target == "sqlite":
        table = measure_sqlite(checks)
    else:
        table = measure_server(args.target, checks)
    print(f"\n{args.target}: mode      | within the bypass window | past it")
    for mode in MODES:
        print(f"{args.target}: {mode:9} | {table[(mode, 'within')]:24} | {table[(mode, 'past')]}")
    print(f"{checks.failures} check(s) failed" if checks.failures else "all checks passed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
