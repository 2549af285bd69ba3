#!/usr/bin/env python3
"""Does MariaDB Connector/ODBC carry out SQL_ATTR_RESET_CONNECTION?

    reset_connection_probe.py [PORT]        (default $ODBCPOOL_TEST_MARIADB_PORT or 33069)

Loads libmaodbc.so itself (no Driver Manager, the way odbcpool calls its
target), changes session state, calls SQLSetConnectAttr(SQL_ATTR_RESET_CONNECTION,
SQL_RESET_CONNECTION_YES), and prints the state before and after, plus
SQL_DRIVER_ODBC_VER (odbcpool's PoolResetStatement=auto uses the attribute
only for a driver reporting 03.80 or later). Exits 1 if the state survives
the reset. Not in ctest: it checks Connector/ODBC, not odbcpool.
"""

import ctypes
import os
import sys

port = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ODBCPOOL_TEST_MARIADB_PORT", "33069")
lib = ctypes.CDLL("/usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so")
for f in ("SQLAllocHandle", "SQLSetEnvAttr", "SQLDriverConnect", "SQLExecDirect", "SQLFetch", "SQLGetData",
          "SQLFreeHandle", "SQLSetConnectAttr", "SQLGetInfo", "SQLDisconnect"):
    getattr(lib, f).restype = ctypes.c_short
H = ctypes.c_void_p
env, dbc = H(), H()
assert lib.SQLAllocHandle(1, None, ctypes.byref(env)) == 0
assert lib.SQLSetEnvAttr(env, 200, ctypes.c_void_p(380), 0) == 0  # SQL_OV_ODBC3_80
assert lib.SQLAllocHandle(2, env, ctypes.byref(dbc)) == 0
cs = f"SERVER=127.0.0.1;PORT={port};DATABASE=odbcpool_test;UID=odbcpool;PWD=odbcpool-secret".encode()
out = ctypes.create_string_buffer(1024)
outlen = ctypes.c_short()
rc = lib.SQLDriverConnect(dbc, None, cs, len(cs), out, 1024, ctypes.byref(outlen), 0)
if rc not in (0, 1):
    sys.exit(f"cannot connect to 127.0.0.1:{port} (rc {rc})")


def query(sql):
    s = H()
    lib.SQLAllocHandle(3, dbc, ctypes.byref(s))
    rc = lib.SQLExecDirect(s, sql.encode(), len(sql))
    if rc not in (0, 1):
        sys.exit(f"{sql}: rc {rc}")
    value = None
    if lib.SQLFetch(s) == 0:
        buf = ctypes.create_string_buffer(512)
        ind = ctypes.c_long()
        lib.SQLGetData(s, 1, 1, buf, 512, ctypes.byref(ind))
        value = buf.value.decode() if ind.value >= 0 else None
    lib.SQLFreeHandle(3, s)
    return value


ver = ctypes.create_string_buffer(32)
vlen = ctypes.c_short()
lib.SQLGetInfo(dbc, 77, ver, 32, ctypes.byref(vlen))  # SQL_DRIVER_ODBC_VER
print(f"SQL_DRIVER_ODBC_VER = {ver.value.decode()}")
STATE = ("SELECT CONCAT_WS(' | ', CONNECTION_ID(), IFNULL(@x, 'NULL'), @@SESSION.sql_mode, "
         "@@SESSION.tx_isolation, @@SESSION.time_zone, @@SESSION.autocommit, DATABASE())")
print(f"fresh:  {query(STATE)}")
for sql in ("SET @x = 1, SESSION sql_mode = 'ANSI_QUOTES', SESSION time_zone = '+05:00'",
            "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET autocommit = 0", "USE mysql"):
    query(sql)
changed = query(STATE)
print(f"dirty:  {changed}")
rc = lib.SQLSetConnectAttr(dbc, 116, ctypes.c_void_p(0), -5)  # SQL_ATTR_RESET_CONNECTION, SQL_RESET_CONNECTION_YES
print(f"SQLSetConnectAttr(SQL_ATTR_RESET_CONNECTION, SQL_RESET_CONNECTION_YES) = {rc}")
after = query(STATE)
print(f"after:  {after}")
lib.SQLDisconnect(dbc)
if after == changed:
    print("the reset changed nothing")
    sys.exit(1)
print("the reset changed the session state")
