#!/usr/bin/env python3
"""pyodbc and os.fork(), through the unixODBC Driver Manager, against a
pooled PostgreSQL DSN (issue 10).

    pyodbc_fork_test.py FAMILY...      FAMILY: pg_unicode, pg_ansi

The parent opens a transaction (autocommit off) and inserts a row, then
forks. A child that leaves normally deallocates its copy of the connection,
and pyodbc then rolls back and disconnects; a child may also close the
connection, or use it. None of that may reach the parent's backend: in the
child every call on the inherited connection fails (08003, naming fork()),
SQLDisconnect frees only the child's side, and afterwards the parent's
transaction is still open and commits with its row. Exits 1 if any check
fails.
"""

import os
import sys
import time

import pyodbc

CHILD_TIMEOUT = 30  # seconds


def wait_child(pid):
    """The child's exit status; it is killed and reported hung past the timeout."""
    deadline = time.monotonic() + CHILD_TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return "hung"


def child_uses_the_copy(conn):
    """In the child: a query on the inherited connection must be refused."""
    try:
        conn.cursor().execute("SELECT pg_backend_pid()").fetchval()
    except pyodbc.Error as error:
        if error.args[0] == "08003" and "fork()" in str(error):
            return 0
        print(f"child: refused with {error}", file=sys.stderr)
        return 11
    print("child: a query on the inherited connection ran", file=sys.stderr)
    return 10


# What the child does before leaving normally (sys.exit: the interpreter
# finalizes, and pyodbc's deallocation rolls back and disconnects).
CHILDREN = {
    "exits": lambda conn: 0,
    "closes": lambda conn: (conn.close(), 0)[1],
    "queries": child_uses_the_copy,
}


def admin_connection(family):
    """For inspecting the server: psqlODBC's Unicode driver whatever the
    family (pyodbc cannot read pg_stat_activity through the ANSI one)."""
    return pyodbc.connect("DSN=pg_unicode_direct", autocommit=True)


def scenario(family, what):
    """Returns a list of failure descriptions (empty when all is well)."""
    failures = []
    table = f"pyodbc_fork_{family}_{what}_{os.getpid()}"
    # No direct connection may be open across the fork: the child's copy of
    # it would be psqlODBC's own, outside what odbcpool can protect.
    admin = admin_connection(family)
    admin.execute(f"DROP TABLE IF EXISTS {table}")
    admin.execute(f"CREATE TABLE {table} (v int NOT NULL)")
    admin.close()
    conn = pyodbc.connect(f"DSN={family}_pooled", autocommit=False)
    cursor = conn.cursor()
    cursor.execute(f"INSERT INTO {table} VALUES (1)")
    backend = cursor.execute("SELECT pg_backend_pid()").fetchval()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        # Leaves normally: SystemExit unwinds (no finally on the way), the
        # interpreter finalizes and pyodbc deallocates conn and cursor.
        sys.exit(CHILDREN[what](conn))
    status = wait_child(pid)
    if status != 0:
        failures.append(f"child ({what}) exited with {status}")
    admin = admin_connection(family)
    try:
        state = admin.execute("SELECT CAST(state AS varchar(64)) FROM pg_stat_activity WHERE pid = ?", backend).fetchval()
        if state != "idle in transaction":
            failures.append(f"after the child ({what}) the parent's backend is {state!r}, "
                            "not 'idle in transaction'")
        try:
            if cursor.execute("SELECT pg_backend_pid()").fetchval() != backend:
                failures.append("the parent's connection moved to another backend")
            conn.commit()
            conn.close()
        except pyodbc.Error as error:
            failures.append(f"the parent's connection broke: {error}")
        count = admin.execute(f"SELECT count(*) FROM {table}").fetchval()
        if count != 1:
            failures.append(f"after the child ({what}) the parent committed {count} row(s), not 1")
    finally:
        if not conn.closed:  # else its open transaction would make the DROP wait
            conn.close()
        admin.execute(f"DROP TABLE IF EXISTS {table}")
        admin.close()
    return failures


def main(argv):
    families = argv[1:]
    if not families or any(f not in ("pg_unicode", "pg_ansi") for f in families):
        print(f"usage: {argv[0]} {{pg_unicode|pg_ansi}}...", file=sys.stderr)
        return 2
    failed = 0
    for family in families:
        for what in CHILDREN:
            failures = scenario(family, what)
            for failure in failures:
                print(f"FAIL {family} {what}: {failure}")
            if not failures:
                print(f"ok   {family} {what}: the parent's transaction survived the child")
            failed += len(failures)
    if failed:
        print(f"pyodbc fork: {failed} check(s) failed")
        return 1
    print("pyodbc fork: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
