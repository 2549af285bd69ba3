#!/usr/bin/env bash
# isql_client_test.sh FAMILY [ISQL]   (FAMILY: sqlite, pg_unicode or pg_ansi)
#
# unixODBC's isql, a real ODBC 2 client, through the Driver Manager against
# the DSN FAMILY_pooled (odbcpool) and FAMILY_direct (the target driver
# alone): the rows must come back as inserted, a failing statement must
# report the target's SQLSTATE and leave the session usable, and the pooled
# DSN must print exactly what the direct one prints.
set -uo pipefail

family=${1:?usage: $0 FAMILY [ISQL]}
isql=${2:-isql}
command -v "$isql" >/dev/null || { echo "FAIL: $isql not found (install unixodbc)"; exit 1; }
case $family in
  sqlite) expected_state=S1000 ;; # isql asks for ODBC 2 states: HY000 reads S1000
  pg_unicode | pg_ansi) expected_state=42P01 ;;
  *) echo "FAIL: unknown family '$family'"; exit 1 ;;
esac

# Direct and pooled DSNs share one database, and ctest may run the three
# families at once: the table name is unique to this run.
table=isql_${family}_$$
missing=no_such_table_$$
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# run_isql NAME DSN: SQL on stdin; leaves NAME.out, NAME.err, NAME.rc in $work.
run_isql() {
  local name=$1 dsn=$2
  "$isql" -b -v "$dsn" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}

# The cells of the result rows isql draws, one row per line, cells joined by |.
table_rows() {
  sed -n 's/^|\(.*\)|[[:space:]]*$/\1/p' "$1" |
    sed -e 's/[[:space:]]*|[[:space:]]*/|/g' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}

scenario_sql() {
  cat <<SQL
CREATE TABLE $table (id INTEGER, name VARCHAR(40))
INSERT INTO $table VALUES (1, 'alpha')
INSERT INTO $table VALUES (2, 'beta gamma')
INSERT INTO $table VALUES (3, 'crème brûlée')
SELECT id, name FROM $table ORDER BY id
UPDATE $table SET name = 'BETA' WHERE id = 2
SELECT COUNT(*) AS n FROM $table WHERE name = 'BETA'
DROP TABLE $table
SQL
}

expected_rows() {
  cat <<'ROWS'
id|name
1|alpha
2|beta gamma
3|crème brûlée
n
1
ROWS
}

error_sql() {
  cat <<SQL
SELECT * FROM $missing
SELECT 42 AS answer
SQL
}

check_dsn() {
  local kind=$1 dsn=${family}_$1

  scenario_sql | run_isql "$kind" "$dsn"
  if [[ $(cat "$work/$kind.rc") != 0 ]]; then
    fail "$dsn: isql exited with $(cat "$work/$kind.rc")"
    cat "$work/$kind.out" "$work/$kind.err"
    return
  fi
  if grep -q 'ERROR' "$work/$kind.err" || grep -Eq '^\[[0-9A-Z]{5}\]' "$work/$kind.out"; then
    fail "$dsn: a statement failed"
    cat "$work/$kind.out" "$work/$kind.err"
  fi
  if diff <(expected_rows) <(table_rows "$work/$kind.out") >"$work/$kind.diff"; then
    ok "$dsn: create, insert, select, update, count, drop"
  else
    fail "$dsn: unexpected rows (diff expected actual):"
    cat "$work/$kind.diff"
  fi

  error_sql | run_isql "$kind-error" "$dsn"
  if grep -q "^\[$expected_state\]" "$work/$kind-error.out" &&
    grep -q '\[ISQL\]ERROR' "$work/$kind-error.err"; then
    ok "$dsn: a missing table reports SQLSTATE $expected_state"
  else
    fail "$dsn: expected SQLSTATE $expected_state for a missing table"
    cat "$work/$kind-error.out" "$work/$kind-error.err"
  fi
  if [[ $(table_rows "$work/$kind-error.out" | tail -n1) == 42 ]]; then
    ok "$dsn: the session is usable after the error"
  else
    fail "$dsn: SELECT 42 after the error did not return 42"
    cat "$work/$kind-error.out"
  fi
}

check_dsn direct
check_dsn pooled

# Pass-through fidelity: everything isql printed, rows, row counts and
# diagnostics, is the same through the pool.
for run in "" -error; do
  if diff "$work/direct$run.out" "$work/pooled$run.out" >"$work/fidelity.diff" &&
    diff "$work/direct$run.err" "$work/pooled$run.err" >>"$work/fidelity.diff"; then
    ok "${family}_pooled prints what ${family}_direct prints${run:+ (error run)}"
  else
    fail "${family}_pooled differs from ${family}_direct${run:+ (error run)} (diff direct pooled):"
    cat "$work/fidelity.diff"
  fi
done

if ((failures)); then
  echo "isql $family: $failures check(s) failed"
  exit 1
fi
echo "isql $family: all checks passed"
