#!/usr/bin/env python3
"""The documented way to add an odbcpool DSN from a script: SQLConfigDataSource
through ctypes, in a private ini directory. Usage: SETUP_SO DRIVER_SO"""
import ctypes
import os
import sys
import tempfile

setup_so, driver_so = sys.argv[1:3]
work = tempfile.mkdtemp(prefix="odbcpool-setup-example-")
with open(os.path.join(work, "odbcinst.ini"), "w") as f:
    f.write(f"[odbcpool]\nDriver = {driver_so}\nSetup = {setup_so}\n")
# The DSN to wrap: odbcpool refuses a TargetDSN that is not configured.
with open(os.path.join(work, "user-odbc.ini"), "w") as f:
    f.write("[orders_direct]\nDriver = SQLite3\nDatabase = /tmp/orders.db\n")
# libodbcinst reads these once, so they are set before it is loaded.
os.environ.update(ODBCSYSINI=work, ODBCINSTINI="odbcinst.ini",
                  ODBCINI=os.path.join(work, "user-odbc.ini"))

# --- the example of the documentation ---
ODBC_ADD_DSN = 1
inst = ctypes.CDLL("libodbcinst.so.2")
inst.SQLConfigDataSource.argtypes = [ctypes.c_void_p, ctypes.c_ushort, ctypes.c_char_p, ctypes.c_char_p]
inst.SQLInstallerError.argtypes = [ctypes.c_ushort, ctypes.POINTER(ctypes.c_uint), ctypes.c_char_p,
                                   ctypes.c_ushort, ctypes.POINTER(ctypes.c_ushort)]


def add_dsn(**keys):
    attributes = "".join(f"{k}={v}\0" for k, v in keys.items()).encode() + b"\0"
    if inst.SQLConfigDataSource(None, ODBC_ADD_DSN, b"odbcpool", attributes):
        return None
    code, message = ctypes.c_uint(), ctypes.create_string_buffer(1024)
    inst.SQLInstallerError(1, ctypes.byref(code), message, len(message) - 1, None)
    return message.value.decode()
# --- end of the example ---


failures = []
error = add_dsn(DSN="orders", TargetDSN="orders_direct", PoolMaxSize=20)
if error is not None:
    failures.append(f"a good DSN was refused: {error}")
written = open(os.environ["ODBCINI"]).read()
if "[orders]" not in written or "orders_direct" not in written:
    failures.append(f"orders not written: {written!r}")
error = add_dsn(DSN="bad", TargetDSN="orders_direct", PoolAcquireTimeout="soon")
if error is None or "PoolAcquireTimeout" not in error or "'soon'" not in error:
    failures.append(f"a bad value was not refused with a message: {error!r}")
else:
    print(f"refused as expected: {error}")
if "[bad]" in open(os.environ["ODBCINI"]).read():
    failures.append("the refused DSN was written")
error = add_dsn(DSN="typo", TargetDSN="orders_drect")
if error is None or "'orders_drect'" not in error or "is not a DSN" not in error:
    failures.append(f"a TargetDSN that does not exist was not refused: {error!r}")

for name in os.listdir(work):
    os.remove(os.path.join(work, name))
os.rmdir(work)
for failure in failures:
    print(f"FAIL: {failure}")
sys.exit(1 if failures else 0)
