#!/usr/bin/env python3
"""pyodbc, through the unixODBC Driver Manager, against a pooled DSN and the
direct DSN behind it.

    pyodbc_client_test.py FAMILY...      FAMILY: sqlite, pg_unicode, pg_ansi

For each family the same scenario runs over FAMILY_direct (the target driver
alone) and FAMILY_pooled (odbcpool in front of it): create a table, insert
with parameters (accents, CJK, characters outside the BMP), read back and
compare, check on the server side that the stored characters are the ones
sent, roll back, fail on purpose and check the SQLSTATE, reconnect a few
times. Every observation of the pooled run must equal the direct run's, and
what one DSN wrote must be what the other reads. Exits 1 if any check fails.
"""

import os
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

import pyodbc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from test_checks import Checks  # noqa: E402


@dataclass(frozen=True)
class Family:
    missing_table_state: str
    duplicate_key_state: str
    utf8_hex: str  # SQL giving the UTF-8 bytes of {col} in upper-case hex
    char_length: str  # SQL giving the length of {col} in characters
    backend_pid: Optional[str]  # SQL naming the server process, if there is one
    ansi_driver: bool  # pyodbc must send and read UTF-8 bytes, not UTF-16


FAMILIES = {
    # SQLite ODBC reports every SQLite error as HY000.
    "sqlite": Family("HY000", "HY000", "hex({col})", "length({col})", None, False),
    "pg_unicode": Family(
        "42P01",
        "23505",
        "upper(encode(convert_to({col}, 'UTF8'), 'hex'))",
        "char_length({col})",
        "SELECT pg_backend_pid()",
        False,
    ),
    "pg_ansi": Family(
        "42P01",
        "23505",
        "upper(encode(convert_to({col}, 'UTF8'), 'hex'))",
        "char_length({col})",
        "SELECT pg_backend_pid()",
        True,
    ),
}

LONG_TEXT = "long text ünïcödé 長い文章 🚀 " * 700  # about 20,000 characters

ROWS = [
    (1, "plain ascii", "short", Decimal("1.50")),
    (2, "café crème déjà vu – naïve Ångström", "Grüße aus Köln", Decimal("-2.25")),
    (3, "日本語のテキスト 中文 한국어", "漢字かなカナ", Decimal("3.00")),
    (4, "emoji outside the BMP: 😀🎉 𝄞 𠜎", "🐘🐍", Decimal("12345678.99")),
    (5, "", LONG_TEXT, Decimal("0.00")),
    (6, None, None, None),
]

REUSE_CYCLES = 5


def connect(dsn, family):
    conn = pyodbc.connect(f"DSN={dsn}", autocommit=False)
    if family.ansi_driver:
        # What any application does with an ANSI driver and a UTF-8 database.
        conn.setencoding(encoding="utf-8")
        conn.setdecoding(pyodbc.SQL_CHAR, encoding="utf-8")
        conn.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8")
    return conn


def normalize(row):
    """Compares values, not driver representations: SQLite returns DECIMAL as text."""
    return tuple(Decimal(str(v)) if i == 3 and v is not None else v for i, v in enumerate(row))


def short(value, limit=120):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def sqlstate_of(action):
    """Runs action, which must fail; returns (exception class name, SQLSTATE)."""
    try:
        action()
    except pyodbc.Error as error:
        return type(error).__name__, error.args[0] if error.args else None
    return None, None


def read_rows(cursor, table):
    cursor.execute(f"SELECT id, name, body, amount FROM {table} ORDER BY id")
    return [normalize(tuple(row)) for row in cursor.fetchall()]


def scenario(checks, family_name, family, kind, table):
    """Runs the scenario over FAMILY_kind; returns what it observed."""
    dsn = f"{family_name}_{kind}"
    seen = {}
    conn = connect(dsn, family)
    cursor = conn.cursor()
    try:
        seen["dbms"] = conn.getinfo(pyodbc.SQL_DBMS_NAME)
        cursor.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(100), "
            "body TEXT, amount DECIMAL(10,2))"
        )
        conn.commit()

        cursor.executemany(f"INSERT INTO {table} (id, name, body, amount) VALUES (?, ?, ?, ?)", ROWS)
        conn.commit()
        rows = read_rows(cursor, table)
        seen["rows"] = rows
        expected = [normalize(row) for row in ROWS]
        checks.check(rows == expected, f"{dsn}: parameters round-trip (accents, CJK, emoji, long text, NULL)",
                     f"expected {short(expected)}\n      got      {short(rows)}")

        # A round trip can look right while the server stores mojibake (the same
        # wrong conversion both ways): check the characters on the server.
        cursor.execute(
            f"SELECT id, {family.char_length.format(col='name')}, {family.utf8_hex.format(col='name')} "
            f"FROM {table} WHERE name IS NOT NULL ORDER BY id"
        )
        stored = [(r[0], r[1], (r[2] or "").upper()) for r in cursor.fetchall()]
        wanted = [(r[0], len(r[1]), r[1].encode("utf-8").hex().upper()) for r in ROWS if r[1] is not None]
        checks.check(stored == wanted, f"{dsn}: the server stores the characters that were sent",
                     f"expected {short(wanted)}\n      got      {short(stored)}")
        seen["stored"] = stored

        cursor.execute(f"SELECT id FROM {table} WHERE name = ?", ROWS[3][1])
        found = [r[0] for r in cursor.fetchall()]
        checks.check(found == [4], f"{dsn}: a parameter outside the BMP matches in WHERE", f"got ids {found}")
        seen["where"] = found

        cursor.execute(f"UPDATE {table} SET amount = amount + ? WHERE id IN (1, 2)", Decimal("1.00"))
        seen["update_rowcount"] = cursor.rowcount
        checks.check(cursor.rowcount == 2, f"{dsn}: UPDATE reports 2 rows", f"rowcount {cursor.rowcount}")
        conn.rollback()

        cursor.execute(f"INSERT INTO {table} (id, name) VALUES (?, ?)", 100, "rolled back")
        conn.rollback()
        # Nothing at id 100, and the rolled-back UPDATE left the amounts alone.
        after_rollback = read_rows(cursor, table)
        checks.check(after_rollback == expected, f"{dsn}: rollback undoes INSERT and UPDATE",
                     f"got {short(after_rollback)}")
        seen["after_rollback"] = after_rollback

        missing = sqlstate_of(lambda: cursor.execute("SELECT * FROM no_such_table_odbcpool"))
        conn.rollback()
        checks.check(missing[1] == family.missing_table_state,
                     f"{dsn}: a missing table raises SQLSTATE {family.missing_table_state}", f"got {missing}")
        seen["missing_table_error"] = missing

        # With a parameter pyodbc prepares first, and SQLite fails in SQLPrepare.
        missing = sqlstate_of(lambda: cursor.execute("SELECT * FROM no_such_table_odbcpool WHERE id = ?", 1))
        conn.rollback()
        checks.check(missing[1] == family.missing_table_state,
                     f"{dsn}: a missing table in a prepared statement raises SQLSTATE {family.missing_table_state}",
                     f"got {missing}")
        seen["missing_table_prepared_error"] = missing

        duplicate = sqlstate_of(
            lambda: cursor.execute(f"INSERT INTO {table} (id, name) VALUES (?, ?)", 1, "duplicate"))
        conn.rollback()
        checks.check(duplicate[1] == family.duplicate_key_state,
                     f"{dsn}: a duplicate key raises SQLSTATE {family.duplicate_key_state}", f"got {duplicate}")
        seen["duplicate_key_error"] = duplicate

        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        checks.check(count == len(ROWS), f"{dsn}: the connection works after the errors", f"count {count}")
    finally:
        conn.close()

    # Connect, use, disconnect: the pattern odbcpool exists for.
    pids = []
    answers = []
    for cycle in range(REUSE_CYCLES):
        conn = connect(dsn, family)
        try:
            cursor = conn.cursor()
            cursor.execute(f"SELECT name FROM {table} WHERE id = ?", 3)
            answers.append(cursor.fetchone()[0])
            if family.backend_pid:
                pids.append(cursor.execute(family.backend_pid).fetchone()[0])
            conn.rollback()
        finally:
            conn.close()
    checks.check(answers == [ROWS[2][1]] * REUSE_CYCLES, f"{dsn}: {REUSE_CYCLES} connect/query/disconnect cycles",
                 f"got {short(answers)}")
    seen["cycles"] = answers
    if family.backend_pid:
        distinct = len(set(pids))
        if kind == "pooled":
            checks.check(distinct == 1, f"{dsn}: the cycles reuse one server connection",
                         f"{distinct} server processes: {pids}")
        else:
            checks.check(distinct == REUSE_CYCLES, f"{dsn}: each cycle opens a new server connection",
                         f"{distinct} server processes: {pids}")
    return seen


def read_back(checks, family_name, family, reader_kind, table, writer_kind):
    dsn = f"{family_name}_{reader_kind}"
    conn = connect(dsn, family)
    try:
        rows = read_rows(conn.cursor(), table)
        expected = [normalize(row) for row in ROWS]
        checks.check(rows == expected, f"{dsn} reads what {family_name}_{writer_kind} wrote",
                     f"got {short(rows)}")
    finally:
        conn.close()


def drop(family_name, family, table):
    try:
        conn = connect(f"{family_name}_direct", family)
        try:
            conn.cursor().execute(f"DROP TABLE {table}")
            conn.commit()
        finally:
            conn.close()
    except pyodbc.Error:
        pass


def session_state_cleared(checks, family_name, family):
    """What one borrower leaves in its PostgreSQL session (a SET, a TEMP
    table, a PREPAREd statement) must not reach the next one on the same
    server connection: PoolResetStatement=auto. pyodbc connects wide, which
    is where auto once ran nothing (it read the DBMS name through ANSI
    SQLGetInfo from psqlODBC Unicode)."""
    dsn = f"{family_name}_pooled"
    conn = connect(dsn, family)
    try:
        cursor = conn.cursor()
        default_work_mem = cursor.execute("SHOW work_mem").fetchone()[0]
        first_pid = cursor.execute(family.backend_pid).fetchone()[0]
        cursor.execute("SET work_mem = '7MB'")
        cursor.execute("CREATE TEMP TABLE pyodbc_left_behind (x int)")
        cursor.execute("PREPARE pyodbc_left_behind AS SELECT 1")
        conn.commit()
    finally:
        conn.close()
    conn = connect(dsn, family)
    try:
        cursor = conn.cursor()
        pid = cursor.execute(family.backend_pid).fetchone()[0]
        work_mem = cursor.execute("SHOW work_mem").fetchone()[0]
        temp = cursor.execute("SELECT (to_regclass('pg_temp.pyodbc_left_behind') IS NOT NULL)::int").fetchone()[0]
        prepared = cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = 'pyodbc_left_behind'").fetchone()[0]
        conn.rollback()
    finally:
        conn.close()
    checks.check(pid == first_pid, f"{dsn}: the next borrower gets the same server connection",
                 f"{first_pid} then {pid}")
    checks.check(work_mem == default_work_mem, f"{dsn}: a SET does not reach the next borrower",
                 f"work_mem {work_mem}, default {default_work_mem}")
    checks.check(temp == 0, f"{dsn}: a TEMP table does not reach the next borrower")
    checks.check(prepared == 0, f"{dsn}: a PREPAREd statement does not reach the next borrower",
                 f"{prepared} left")


def run_family(checks, family_name):
    family = FAMILIES[family_name]
    tables = {kind: f"pyodbc_{family_name}_{kind}_{os.getpid()}" for kind in ("direct", "pooled")}
    seen = {}
    try:
        for kind in ("direct", "pooled"):
            try:
                seen[kind] = scenario(checks, family_name, family, kind, tables[kind])
            except pyodbc.Error as error:
                checks.check(False, f"{family_name}_{kind}: scenario ran to the end", f"{type(error).__name__}: {error}")
        if family.backend_pid:
            session_state_cleared(checks, family_name, family)
        if len(seen) == 2:
            read_back(checks, family_name, family, "direct", tables["pooled"], "pooled")
            read_back(checks, family_name, family, "pooled", tables["direct"], "direct")
            for key in seen["direct"]:
                checks.check(seen["pooled"].get(key) == seen["direct"][key],
                             f"{family_name}_pooled observes what {family_name}_direct observes: {key}",
                             f"direct {short(seen['direct'][key])}\n      pooled {short(seen['pooled'].get(key))}")
    finally:
        for table in tables.values():
            drop(family_name, family, table)


def main(argv):
    names = argv[1:]
    if not names or any(name not in FAMILIES for name in names):
        print(f"usage: {argv[0]} {{{'|'.join(FAMILIES)}}}...", file=sys.stderr)
        return 2
    print(f"pyodbc {pyodbc.version}, unixODBC configuration in {os.environ.get('ODBCSYSINI', '/etc')}")
    checks = Checks()
    for name in names:
        run_family(checks, name)
    if checks.failures:
        print(f"pyodbc {' '.join(names)}: {checks.failures} check(s) failed")
        return 1
    print(f"pyodbc {' '.join(names)}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
