# shellcheck shell=bash
# Shared helpers for the shell scripts in scripts/ and tests/support/.
# Source it; it defines functions and sets nothing else.

# Messages go to stderr so that stdout stays usable for data.
odbcpool_log() { printf '%s: %s\n' "${ODBCPOOL_LOG_TAG:-${0##*/}}" "$*" >&2; }
odbcpool_die() { odbcpool_log "error: $*"; exit 1; }

# The directory holding the unixODBC drivers of this distribution
# (Debian: /usr/lib/<triplet>/odbc).
odbcpool_odbc_driver_dir() {
  local libdir
  libdir=$(pkg-config --variable=libdir odbc 2>/dev/null) || libdir=
  if [[ -n $libdir && -d $libdir/odbc ]]; then
    printf '%s\n' "$libdir/odbc"
  elif [[ -n $libdir ]]; then
    printf '%s\n' "$libdir"
  else
    odbcpool_die "pkg-config cannot find odbc (is unixodbc-dev installed?)"
  fi
}

# The bin directory of the newest installed PostgreSQL server. Debian keeps
# initdb and pg_ctl out of PATH, under /usr/lib/postgresql/<major>/bin.
odbcpool_pg_bindir() {
  local dir best=
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb && -x $dir/pg_ctl ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n1) == "$dir" ]]; then
      best=$dir
    fi
  done
  if [[ -z $best ]] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    best=$(dirname "$(command -v initdb)")
  fi
  [[ -n $best ]] || odbcpool_die "no PostgreSQL server found (initdb, pg_ctl); run scripts/install-deps"
  printf '%s\n' "$best"
}

# A python3 that can import pyodbc. A pyenv or virtualenv python3 earlier in
# PATH usually cannot see Debian's python3-pyodbc, so /usr/bin comes first.
odbcpool_python3() {
  local py
  for py in /usr/bin/python3 "$(command -v python3 || true)"; do
    [[ -n $py && -x $py ]] || continue
    if "$py" -c 'import pyodbc' 2>/dev/null; then
      printf '%s\n' "$py"
      return 0
    fi
  done
  return 1
}
