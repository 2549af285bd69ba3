#!/usr/bin/env bash
# stats_test.sh ODBCPOOL WORKLOAD
#
# `odbcpool stats` on the metrics file of a real workload: WORKLOAD (an ODBC
# application, through the Driver Manager and the driver) connects through
# a DSN of a private ini whose MetricsFile has %p, and holds a connection
# while the file is read by path, found from the ini, and printed as a
# table and as JSON. The file disappears when the workload exits cleanly.
# Then hand-written files: well-formed ones with odd labels, malformed
# ones (one line naming the file and line, non-zero exit), a stale one.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/tools_test_lib.sh"
odbcpool=${1:?usage: $0 ODBCPOOL WORKLOAD}
workload=${2:?usage: $0 ODBCPOOL WORKLOAD}
python=$(command -v python3 || echo /usr/bin/python3)
secret=stats-pw-$$-z

private_ini
mkdir -p "$work/metrics"
add_dsn stats_target "Driver=SQLite3" "Database=$work/stats.sqlite"
add_dsn stats_pooled "Driver=odbcpool" "TargetDSN=stats_target" "PoolMaxSize=4" \
  "MetricsFile=$work/metrics/pool-%p.prom" "MetricsInterval=100ms" "PWD=$secret"

# No process running yet: nothing to show, and that is not an error.
run none "$odbcpool" stats
expect_rc none 0
expect_grep none "^no metrics files found \(no running process reports to $work/metrics/pool-%p\.prom\)$"

"$workload" stats_pooled "$work/ready" "$work/stop" >"$work/workload.out" 2>&1 &
workload_pid=$!
for _ in $(seq 1 100); do
  [[ -s $work/ready ]] && break
  kill -0 "$workload_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ ! -s $work/ready ]]; then
  fail "the workload did not get ready: $(cat "$work/workload.out")"
  finish
fi
file=$work/metrics/pool-$workload_pid.prom

# The writer rewrites the file every 100ms: wait until it shows the 8th borrow.
for _ in $(seq 1 100); do
  run json "$odbcpool" stats --json "$file"
  [[ $(rc json) == 0 ]] && grep -q '"borrows": 8' "$work/json.out" && break
  sleep 0.1
done
expect_rc json 0
if "$python" - "$work/json.out" "$file" "$workload_pid" <<'PY'; then
import json, sys
data = json.load(open(sys.argv[1]))
path, pid = sys.argv[2], int(sys.argv[3])
assert data["errors"] == [], data["errors"]
(f,) = data["files"]
assert f["path"] == path, f["path"]
assert f["pid"] == pid, (f["pid"], pid)
assert f["running"] is True
(p,) = f["pools"]
expected = {"pool": "stats_pooled", "max_size": 4, "min_idle": 0, "open": 2, "idle": 1,
            "in_use": 1, "waiting": 0, "borrows": 8, "acquire_timeouts": 0, "connects": 2,
            "connect_errors": 0, "closes": 0, "leaks": 0}
for key, value in expected.items():
    assert p[key] == value, f"{key}: {p[key]!r}, expected {value!r}"
assert p["borrow_wait"]["count"] == 8, p["borrow_wait"]
assert p["borrow_wait"]["average_seconds"] > 0, p["borrow_wait"]
assert p["connect_time"]["count"] == 2, p["connect_time"]
assert set(p["closes_by_reason"].values()) == {0}, p["closes_by_reason"]
PY
  ok "json: the workload's pool as counted: 8 borrows, 2 connects, 1 idle, 1 in use"
else
  fail "json does not describe the workload's pool"
  show json
fi

# The table, with the file found from the DSN's MetricsFile (%p as a glob).
run table "$odbcpool" stats
expect_rc table 0
expect_grep table "^process $workload_pid, $file, written [0-9]+s ago$"
expect_grep table '^ pool +\| max \| open \| idle \| in use \| waiting \| borrows \| timeouts \| connects \| connect errors \| closes \| leaks \| avg wait$'
# A directory (as node_exporter's textfile collector is pointed at): its files.
run directory "$odbcpool" stats "$work/metrics"
expect_rc directory 0
expect_grep directory "^process $workload_pid, $file, written [0-9]+s ago$"
mkdir -p "$work/empty-metrics"
run empty_directory "$odbcpool" stats "$work/empty-metrics"
expect_rc empty_directory 1
expect_grep empty_directory "no \\*\\.prom metrics file in this directory"

row=$(sed -n 's/^ stats_pooled *|//p' "$work/table.out" | tr -d ' ')
if [[ $row =~ ^4\|2\|1\|1\|0\|8\|0\|2\|0\|0\|0\|[0-9.]+(us|ms|s)$ ]]; then
  ok "table: stats_pooled | 4 | 2 | 1 | 1 | 0 | 8 | 0 | 2 | 0 | 0 | 0 | avg"
else
  fail "table: the stats_pooled row reads '$row'"
  show table
fi
run by_path "$odbcpool" stats "$file"
expect_rc by_path 0
expect_grep by_path "^process $workload_pid, "
for name in json table by_path; do expect_no_grep "$name" "$secret"; done
if grep -Fq "$secret" "$file"; then fail "the metrics file shows the password"; else ok "the metrics file never shows the password"; fi

touch "$work/stop"
wait "$workload_pid"
workload_rc=$?
if ((workload_rc == 0)); then ok "the workload exits 0"; else fail "the workload exits $workload_rc: $(cat "$work/workload.out")"; fi
if [[ -e $file ]]; then fail "$file is still there after a clean exit"; else ok "the metrics file is removed at clean exit"; fi
run after "$odbcpool" stats
expect_rc after 0
expect_grep after '^no metrics files found'

# --- hand-written files -----------------------------------------------------
cat >"$work/metrics/pool-99999999.prom" <<'PROM'
# A stale file: pid 99999999 is beyond any pid_max.
# HELP odbcpool_connections Physical connections by state.
# TYPE odbcpool_connections gauge
odbcpool_connections{pool="orders (bob)",state="idle"} 3
odbcpool_connections{pool="orders (bob)",state="in_use"} 2
odbcpool_connections{pool="say \"hi\"\\",state="idle"} 0
odbcpool_max_size{pool="orders (bob)"} 5
odbcpool_waiting{pool="orders (bob)"} 7
odbcpool_borrows_total{pool="orders (bob)"} 1e3 1700000000000
odbcpool_borrow_wait_seconds_bucket{pool="orders (bob)",le="+Inf"} 1000
odbcpool_borrow_wait_seconds_sum{pool="orders (bob)"} 2.5
odbcpool_borrow_wait_seconds_count{pool="orders (bob)"} 1000
odbcpool_acquire_timeouts_total{pool="orders (bob)"} 4
odbcpool_closes_total{pool="orders (bob)",reason="idle_timeout"} 6
odbcpool_closes_total{pool="orders (bob)",reason="broken"} 1
odbcpool_leaks_total{pool="orders (bob)"} 2
odbcpool_some_future_series{pool="orders (bob)"} 12
process_cpu_seconds_total 4.2
PROM
run stale "$odbcpool" stats
expect_rc stale 0
expect_grep stale "^process 99999999 \(not running\), $work/metrics/pool-99999999\.prom"
row=$(sed -n 's/^ orders (bob) *|//p' "$work/stale.out" | tr -d ' ')
if [[ $row == "5|5|3|2|7|1000|4|0|0|7|2|2.500ms" ]]; then
  ok "stale: orders (bob) | 5 | 5 | 3 | 2 | 7 | 1000 | 4 | 0 | 0 | 7 | 2 | 2.500 ms"
else
  fail "stale: the orders (bob) row reads '$row'"
  show stale
fi
run stale_json "$odbcpool" stats --json "$work/metrics/pool-99999999.prom"
expect_rc stale_json 0
if "$python" -c '
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert f["pid"] == 99999999 and f["running"] is False, f
names = [p["pool"] for p in f["pools"]]
assert names == ["orders (bob)", "say \"hi\"\\"], names
assert f["pools"][0]["closes_by_reason"] == {"broken": 1, "idle_timeout": 6}
assert f["pools"][1]["borrow_wait"]["average_seconds"] is None
' "$work/stale_json.out"; then
  ok "stale_json: labels unescaped, pools in file order, no average without borrows"
else
  fail "stale_json is not right"
  show stale_json
fi
rm "$work/metrics/pool-99999999.prom"

# A file whose name has no pid: the writer's pid label says whose it is. A
# pool of another process (a file put together from several) is told apart.
cat >"$work/shared.prom" <<'PROM'
odbcpool_metrics_writer_info{pid="99999998",version="0.1.0"} 1
odbcpool_metrics_last_write_timestamp_seconds{pid="99999998"} 1764700000.250
odbcpool_max_size{pool="orders (bob)",pid="99999998"} 5
odbcpool_max_size{pool="orders (bob)",pid="99999997"} 6
PROM
run writer "$odbcpool" stats "$work/shared.prom"
expect_rc writer 0
expect_grep writer "^process 99999998 \(not running\), $work/shared\.prom"
expect_grep writer '^ orders \(bob\) +\| +5 \|'
expect_grep writer '^ orders \(bob\) \(process 99999997\) +\| +6 \|'
run writer_json "$odbcpool" stats --json "$work/shared.prom"
if "$python" -c '
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert f["pid"] == 99999998, f
assert [(p["pool"], p["pid"], p["max_size"]) for p in f["pools"]] == [
    ("orders (bob)", 99999998, 5), ("orders (bob)", 99999997, 6)], f["pools"]
' "$work/writer_json.out"; then
  ok "writer_json: the file's pid from its writer, each pool with its own"
else
  fail "writer_json is not right"
  show writer_json
fi

# Malformed: one line naming the file and the line, exit 1.
expect_malformed() {
  local name=$1 line=$2 pattern=$3
  run "$name" "$odbcpool" stats "$work/$name.prom"
  expect_rc "$name" 1
  if [[ $(wc -l <"$work/$name.err") == 1 ]] &&
    grep -Eq "^odbcpool stats: $work/$name\.prom:$line: .*$pattern" "$work/$name.err"; then
    ok "$name: $(err "$name")"
  else
    fail "$name: stderr is not one line naming $work/$name.prom:$line and /$pattern/"
    show "$name"
  fi
}
printf '# TYPE odbcpool_borrows_total counter\nodbcpool_borrows_total{pool="a"} 1\nodbcpool_borrows_total{pool="a"} many\n' >"$work/bad_value.prom"
expect_malformed bad_value 3 "'many' is not a sample value"
printf 'odbcpool_waiting{pool="a} 1\n' >"$work/unclosed.prom"
expect_malformed unclosed 1 "label value not closed"
printf 'odbcpool_waiting{pool="a"} 1\nhello world\n' >"$work/prose.prom"
expect_malformed prose 2 "'world' is not a sample value"
printf '\n\nodbcpool_waiting 1\n' >"$work/no_pool.prom"
expect_malformed no_pool 3 "odbcpool_waiting has no pool label"
printf 'odbcpool_connections{pool="a",state="busy"} 1\n' >"$work/bad_state.prom"
expect_malformed bad_state 1 'state "busy"'
printf 'odbcpool_borrows_total{pool="a"} -3\n' >"$work/negative.prom"
expect_malformed negative 1 "must be a whole number"
printf '# TYPE odbcpool_waiting thermometer\n' >"$work/bad_type.prom"
expect_malformed bad_type 1 "'thermometer' is not a metric type"

# A malformed file next to a good one: the good one is still shown; JSON
# still parses and lists the error.
printf 'odbcpool_max_size{pool="fine"} 9\n' >"$work/good.prom"
run mixed "$odbcpool" stats --json "$work/good.prom" "$work/bad_value.prom" "$work/missing.prom"
expect_rc mixed 1
if "$python" -c '
import json, sys
data = json.load(open(sys.argv[1]))
assert [f["pools"][0]["max_size"] for f in data["files"]] == [9], data["files"]
assert len(data["errors"]) == 2, data["errors"]
assert ":3: " in data["errors"][0] and "missing.prom: cannot read" in data["errors"][1], data["errors"]
' "$work/mixed.out"; then
  ok "mixed: --json parses, keeps the good file and lists both errors"
else
  fail "mixed: --json output is not right"
  show mixed
fi
expect_grep mixed "^odbcpool stats: $work/missing\.prom: cannot read: No such file or directory$"

# Nothing configured and nothing named: say so.
sed -i '/MetricsFile/d' "$work/ini/odbc.ini"
run unconfigured "$odbcpool" stats
expect_rc unconfigured 1
expect_grep unconfigured '^odbcpool stats: no MetricsFile is set in .*odbcinst\.ini \[odbcpool\] or in any DSN'

finish
