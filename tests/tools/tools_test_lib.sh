# Sourced by the odbcpool command's tests. Provides:
#   ok / fail MESSAGE          record a result (fail counts; finish exits 1 on any)
#   run NAME CMD...            runs CMD, leaving $work/NAME.out, .err, .rc
#   out NAME / err NAME / rc NAME
#   expect_rc NAME RC          the exit code
#   expect_grep NAME REGEX     stdout+stderr match an extended regex
#   expect_no_grep NAME TEXT   stdout+stderr do not contain a fixed string
#   private_ini                a private unixODBC configuration in $work/ini
#                              (the fixture's drivers, no DSNs yet); DSNs are
#                              appended with add_dsn, odbcinst.ini lines with
#                              add_driver_line; the environment points at it
#   use_fixture_ini            the environment points back at the fixture's
#   finish                     prints the summary and exits
# $work is a private temporary directory, removed at exit.
set -uo pipefail

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

ok() { echo "ok: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

run() {
  local name=$1
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.rc"
}
out() { cat "$work/$1.out"; }
err() { cat "$work/$1.err"; }
rc() { cat "$work/$1.rc"; }

show() {
  echo "---- $1: exit $(rc "$1"), stdout:"
  out "$1"
  echo "---- $1: stderr:"
  err "$1"
  echo "----"
}

expect_rc() {
  if [[ $(rc "$1") == "$2" ]]; then
    ok "$1 exits $2"
  else
    fail "$1 exits $(rc "$1"), expected $2"
    show "$1"
  fi
}

expect_grep() {
  if grep -Eq -- "$2" "$work/$1.out" "$work/$1.err"; then
    ok "$1 says /$2/"
  else
    fail "$1 does not say /$2/"
    show "$1"
  fi
}

expect_no_grep() {
  if grep -Fq -- "$2" "$work/$1.out" "$work/$1.err"; then
    fail "$1 shows '$2'"
    show "$1"
  else
    ok "$1 never shows '$2'"
  fi
}

# The line of a settings table for KEY: "KEY  VALUE  SOURCE", blanks squeezed.
setting_line() {
  out "$1" | sed -n "s/^  $2  */$2 /p" | sed 's/  */ /g'
}

expect_setting() {
  local name=$1 key=$2 expected=$3
  local line
  line=$(setting_line "$name" "$key")
  if [[ $line == "$key $expected" ]]; then
    ok "$name: $key = $expected"
  else
    fail "$name: $key reads '$line', expected '$key $expected'"
  fi
}

private_ini() {
  mkdir -p "$work/ini"
  cp "$ODBCPOOL_TEST_INI_DIR/odbcinst.ini" "$work/ini/odbcinst.ini"
  : >"$work/ini/odbc.ini"
  : >"$work/ini/user-odbc.ini"
  export ODBCSYSINI=$work/ini ODBCINSTINI=odbcinst.ini ODBCINI=$work/ini/user-odbc.ini
}

use_fixture_ini() {
  export ODBCSYSINI=$ODBCPOOL_TEST_INI_DIR ODBCINSTINI=odbcinst.ini
  export ODBCINI=$ODBCPOOL_TEST_INI_DIR/user-odbc.ini
}

# add_dsn NAME KEY=VALUE...
add_dsn() {
  local name=$1
  shift
  {
    echo "[$name]"
    local pair
    for pair in "$@"; do echo "${pair%%=*} = ${pair#*=}"; done
    echo
  } >>"$work/ini/odbc.ini"
}

# add_driver_line SECTION KEY=VALUE: appended to an odbcinst.ini section
# (created at the end of the file when missing).
add_driver_line() {
  local section=$1 pair=$2
  if grep -q "^\[$section\]" "$work/ini/odbcinst.ini"; then
    sed -i "/^\[$section\]/a ${pair%%=*} = ${pair#*=}" "$work/ini/odbcinst.ini"
  else
    printf '\n[%s]\n%s = %s\n' "$section" "${pair%%=*}" "${pair#*=}" >>"$work/ini/odbcinst.ini"
  fi
}

finish() {
  echo "$passes passed, $failures failed"
  ((failures == 0))
  exit
}
