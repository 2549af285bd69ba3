#!/usr/bin/env bash
# config_test.sh ODBCPOOL: `odbcpool config` against the fixture's
# sqlite_pooled, DSN-less connection strings and DSNs of a private ini
# written here: every key's effective value and source, the built-in
# defaults, bad values (key, value, accepted, source; non-zero exit), typo
# warnings, the Driver Manager's pooling, and passwords masked everywhere.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/tools_test_lib.sh"
odbcpool=${1:?usage: $0 ODBCPOOL}

# --- the fixture's sqlite_pooled: the target and every default -------------
use_fixture_ini
run fixture "$odbcpool" config sqlite_pooled
expect_rc fixture 0
expect_setting fixture TargetDSN "sqlite_direct odbc.ini [sqlite_pooled]"
expect_setting fixture Pooling "yes default"
expect_setting fixture PoolMaxSize "10 default"
expect_setting fixture PoolMinIdle "0 default"
expect_setting fixture PoolAcquireTimeout "30s default"
expect_setting fixture PoolIdleTimeout "10m default"
expect_setting fixture PoolMaxLifetime "30m default"
expect_setting fixture PoolValidation "auto default"
expect_setting fixture PoolValidationQuery "SELECT 1 default"
expect_setting fixture PoolValidationBypass "500ms default"
expect_setting fixture PoolValidationTimeout "5s default"
expect_setting fixture PoolKeepalive "0 default"
expect_setting fixture PoolResetOnReturn "yes default"
expect_setting fixture PoolResetStatement "auto default"
expect_setting fixture PoolLeakThreshold "0 default"
expect_setting fixture MetricsFile "(none) default"
expect_setting fixture MetricsInterval "10s default"
expect_grep fixture '^  target +DSN sqlite_direct \(driver SQLite3\)$'
expect_grep fixture '^  library +.*/libsqlite3odbc\.so'
expect_grep fixture '^  connection string +DSN=sqlite_direct;?$'
expect_grep fixture 'The configuration is usable'

# The fixture's PostgreSQL target DSN holds the test role's password.
run fixture_pg "$odbcpool" config pg_unicode_pooled
expect_rc fixture_pg 0
expect_grep fixture_pg '^  odbc\.ini \[pg_unicode_direct\] .*Password=\*\*\*'
expect_no_grep fixture_pg "odbcpool-secret"

# The same as JSON, for scripts.
run json "$odbcpool" config --json sqlite_pooled
expect_rc json 0
if python3 - "$work/json.out" <<'PY'; then
import json, sys
data = json.load(open(sys.argv[1]))
settings = {s["key"]: (s["value"], s["source"]) for s in data["settings"]}
assert settings["TargetDSN"] == ("sqlite_direct", "odbc.ini [sqlite_pooled]"), settings["TargetDSN"]
assert settings["PoolMaxSize"] == ("10", "default"), settings["PoolMaxSize"]
assert data["target_driver"]["connection string"].startswith("DSN=sqlite_direct"), data["target_driver"]
assert data["usable"] is True and data["errors"] == [], data
PY
  ok "config --json: settings with sources, the target, usable"
else
  fail "config --json does not describe sqlite_pooled"
  show json
fi
run json_typo "$odbcpool" config --json sqlite_poold
expect_rc json_typo 1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["usable"] is False and "IM002" in d["errors"][0]' "$work/json_typo.out"; then
  ok "config --json of a missing DSN: not usable, IM002"
else
  fail "config --json of a missing DSN"
  show json_typo
fi

# A mistyped DSN: the error, and the DSN that was probably meant.
run dsn_typo "$odbcpool" config sqlite_poold
expect_rc dsn_typo 1
expect_grep dsn_typo "\\[IM002\\] data source 'sqlite_poold' not found.*; did you mean 'sqlite_pooled'\\?"
run far_off "$odbcpool" config no_such_dsn_at_all
expect_rc far_off 1
expect_no_grep far_off "did you mean"

# --- a private ini: the four sources, in order of precedence ----------------
private_ini
add_driver_line odbcpool "PoolMaxSize=7"
add_driver_line odbcpool "PoolIdleTimeout=2m"
add_driver_line odbcpool "PoolKeepalive=45s"
add_dsn sqlite_target "Driver=SQLite3" "Database=$work/test.sqlite"
add_dsn layered "Driver=odbcpool" "TargetDSN=sqlite_target" "PoolMaxSize=5" \
  "PoolMinIdle=1" "PoolKeepalive=1m"
run layered "$odbcpool" config --connection-string "DSN=layered;PoolMinIdle=2;PoolMaxLifetime=1h"
expect_rc layered 0
expect_setting layered TargetDSN "sqlite_target odbc.ini [layered]"
expect_setting layered PoolMinIdle "2 connection string"
expect_setting layered PoolMaxLifetime "1h connection string"
expect_setting layered PoolMaxSize "5 odbc.ini [layered]"
expect_setting layered PoolKeepalive "1m odbc.ini [layered]"
expect_setting layered PoolIdleTimeout "2m odbcinst.ini [odbcpool]"
expect_setting layered PoolAcquireTimeout "30s default"

# --- DSN-less, with a password for the target -------------------------------
dsnless="DRIVER={odbcpool};TargetDriver={SQLite3};Database=$work/dsnless.sqlite;PoolMaxSize=3;UID=bob;PWD={dsnless-pw-41}"
run dsnless "$odbcpool" config --connection-string "$dsnless"
expect_rc dsnless 0
expect_setting dsnless TargetDriver "SQLite3 connection string"
expect_setting dsnless PoolMaxSize "3 connection string"
expect_setting dsnless PoolIdleTimeout "2m odbcinst.ini [odbcpool]"
expect_grep dsnless '^  target +driver SQLite3$'
expect_grep dsnless '^  connection string +DRIVER=SQLite3;.*Database=.*UID=bob;PWD=\*\*\*'
expect_no_grep dsnless "dsnless-pw-41"

# --- bad values: every one named with its value, what is accepted, the source
add_dsn bad_values "Driver=odbcpool" "TargetDSN=sqlite_target" "PoolMaxSize=lots" \
  "PoolAcquireTimeout=soon"
run bad "$odbcpool" config bad_values
expect_rc bad 1
expect_grep bad "invalid value 'lots' for PoolMaxSize \(from odbc\.ini \[bad_values\]\): expected a whole number from 1 to 10000"
expect_grep bad "invalid value 'soon' for PoolAcquireTimeout \(from odbc\.ini \[bad_values\]\): expected a duration"
if grep -q "PoolMaxSize" "$work/bad.err" && grep -q "PoolAcquireTimeout" "$work/bad.err"; then
  ok "bad: both errors are on stderr"
else
  fail "bad: stderr lacks an error"
  show bad
fi
run bad_cs "$odbcpool" config --connection-string "DSN=layered;Pooling=maybe"
expect_rc bad_cs 1
expect_grep bad_cs "invalid value 'maybe' for Pooling \(from the connection string\): expected yes/no"
add_driver_line odbcpool "PoolValidation=sometimes"
run bad_driver "$odbcpool" config layered
expect_rc bad_driver 1
expect_grep bad_driver "invalid value 'sometimes' for PoolValidation \(from odbcinst\.ini \[odbcpool\]\): expected auto, query, dead-attr or none"
sed -i '/PoolValidation = sometimes/d' "$work/ini/odbcinst.ini"
run min_idle "$odbcpool" config --connection-string "DSN=layered;PoolMinIdle=9"
expect_rc min_idle 1
expect_grep min_idle "invalid value '9' for PoolMinIdle \(from the connection string\): expected at most PoolMaxSize \(5\)"

# --- a typo is a warning, not an error --------------------------------------
add_dsn typo "Driver=odbcpool" "TargetDSN=sqlite_target" "PoolMaxSise=4"
run typo "$odbcpool" config typo
expect_rc typo 0
expect_grep typo "unknown odbcpool key 'PoolMaxSise' in odbc\.ini \[typo\] ignored \(did you mean PoolMaxSize\?\)"
expect_setting typo PoolMaxSize "7 odbcinst.ini [odbcpool]"

# --- passwords: in the pooled DSN, the connection string and the target DSN -
add_dsn secret_target "Driver=SQLite3" "Database=$work/test.sqlite" "Password=target-pw-43"
add_dsn secret "Driver=odbcpool" "TargetDSN=secret_target" "PWD=dsn-pw-44" \
  "SSLPassword=dsn-pw-45" "ClientPwdFile=dsn-pw-46"
run secret "$odbcpool" config --connection-string "DSN=secret;UID=carol;PWD=cs-pw-47;Password=cs-pw-48"
expect_rc secret 0
for pw in target-pw-43 dsn-pw-44 dsn-pw-45 dsn-pw-46 cs-pw-47 cs-pw-48; do
  expect_no_grep secret "$pw"
done
expect_grep secret '^odbcpool configuration of connection string DSN=secret;UID=carol;PWD=\*\*\*;Password=\*\*\*'
expect_grep secret '^  connection string +DSN=secret_target;.*PWD=\*\*\*'
expect_grep secret 'SSLPassword=\*\*\*'
expect_grep secret 'ClientPwdFile=\*\*\*'
expect_grep secret '^  odbc\.ini \[secret_target\] .*Password=\*\*\*'
# A bad value next to a password: the error names the key, not the secret.
run secret_bad "$odbcpool" config --connection-string "DSN=secret;PWD=cs-pw-49;PoolMaxSize=0"
expect_rc secret_bad 1
expect_no_grep secret_bad "cs-pw-49"

# --- the Driver Manager's own pooling ---------------------------------------
run dm_off "$odbcpool" config layered
expect_no_grep dm_off "Driver Manager's own pooling"
sed -i 's/^Pooling = No/Pooling = Yes/' "$work/ini/odbcinst.ini"
run dm_on "$odbcpool" config layered
expect_rc dm_on 0
expect_grep dm_on "the unixODBC Driver Manager's own pooling is on \(\[ODBC\] Pooling=Yes in .*odbcinst\.ini\)"
sed -i 's/^Pooling = Yes/Pooling = No/' "$work/ini/odbcinst.ini"

# --- what is not an odbcpool configuration ----------------------------------
run direct "$odbcpool" config sqlite_target
expect_rc direct 1
expect_grep direct "DSN sqlite_target does not use odbcpool: its driver is 'SQLite3'"
run missing "$odbcpool" config no_such_dsn
expect_rc missing 1
expect_grep missing "\[IM002\] .*no_such_dsn"
add_dsn no_target "Driver=odbcpool" "PoolMaxSize=2"
run no_target "$odbcpool" config no_target
expect_rc no_target 1
expect_grep no_target "\[IM002\] no target to pool: set TargetDSN"
add_dsn lost_library "Driver=odbcpool" "TargetDriver=$work/no-such-driver.so"
run lost_library "$odbcpool" config lost_library
expect_rc lost_library 1
expect_grep lost_library "\[IM003\] cannot load target driver library '$work/no-such-driver.so'"

# --- odbcpool registered under another file name: the LTX aliases miss -----
private_ini
ours=$(sed -n 's/^Driver *= *//p' "$work/ini/odbcinst.ini" | grep libodbcpool | head -n 1)
ln -sf "$ours" "$work/libodbcpool-renamed.so"
printf '[odbcpool renamed]\nDriver = %s\n' "$work/libodbcpool-renamed.so" >>"$work/ini/odbcinst.ini"
add_dsn sqlite_target "Driver=SQLite3" "Database=$work/test.sqlite"
add_dsn renamed "Driver=odbcpool renamed" "TargetDSN=sqlite_target"
run renamed "$odbcpool" config renamed
expect_rc renamed 0
expect_grep renamed "registered as '$work/libodbcpool-renamed.so'"
run installed_name "$odbcpool" config --connection-string "DRIVER={odbcpool};TargetDSN=sqlite_target"
expect_no_grep installed_name "registered as"

finish
