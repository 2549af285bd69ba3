#!/usr/bin/env bash
# textfile_collector_test.sh ODBCPOOL WORKLOAD PROMTOOL NODE_EXPORTER
#
# The metrics files of several processes as Prometheus gets them: three
# WORKLOAD processes (through the Driver Manager and the driver, SQLite
# behind it) hold 2, 1 and 3 connections, each writing odbcpool-%p.prom into
# one directory that does not exist yet, under umask 077. Every file must pass
# `promtool check metrics` and be readable by others; node_exporter's
# textfile collector, run here on a free loopback port (never its system
# service), must serve all three processes' series with distinct pid labels
# and no scrape error. A process killed by SIGTERM leaves its file: its
# last-write time stops while the others' go on. `odbcpool stats DIR` shows
# every process. node_exporter and the workloads are stopped whatever happens.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../tools/tools_test_lib.sh"
odbcpool=${1:?usage: $0 ODBCPOOL WORKLOAD PROMTOOL NODE_EXPORTER}
workload=${2:?usage: $0 ODBCPOOL WORKLOAD PROMTOOL NODE_EXPORTER}
promtool=${3:?usage: $0 ODBCPOOL WORKLOAD PROMTOOL NODE_EXPORTER}
node_exporter=${4:?usage: $0 ODBCPOOL WORKLOAD PROMTOOL NODE_EXPORTER}
python=$(command -v python3 || echo /usr/bin/python3)

started=()
cleanup() {
  local pid
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in "$promtool" "$node_exporter"; do
  if [[ ! -x $tool ]]; then
    fail "$tool is missing: scripts/install-deps installs prometheus and prometheus-node-exporter"
    finish
  fi
done

private_ini
textfiles=$work/textfile/odbcpool # created by the driver
add_dsn textfile_target "Driver=SQLite3" "Database=$work/textfile.sqlite"
add_dsn textfile_pooled "Driver=odbcpool" "TargetDSN=textfile_target" "PoolMaxSize=4" \
  "MetricsFile=$textfiles/odbcpool-%p.prom" "MetricsInterval=100ms"

# The in_use line of a process's file.
in_use_line() {
  echo "odbcpool_connections{pool=\"textfile_pooled\",pid=\"$1\",state=\"in_use\"} $2"
}

declare -A held_by # pid -> connections it holds
for held in 2 1 3; do
  (umask 077 && exec "$workload" textfile_pooled "$work/ready-$held" "$work/stop" "$held") \
    >"$work/workload-$held.out" 2>&1 &
  pid=$!
  started+=("$pid")
  held_by[$pid]=$held
done
for pid in "${!held_by[@]}"; do
  held=${held_by[$pid]}
  file=$textfiles/odbcpool-$pid.prom
  for _ in $(seq 1 200); do
    [[ -s $work/ready-$held ]] && grep -qxF "$(in_use_line "$pid" "$held")" "$file" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -qxF "$(in_use_line "$pid" "$held")" "$file" 2>/dev/null; then
    ok "process $pid: its file says $held in use"
  else
    fail "process $pid: $file never said $held in use: $(cat "$work/workload-$held.out")"
    finish
  fi
done

for pid in "${!held_by[@]}"; do
  file=$textfiles/odbcpool-$pid.prom
  mode=$(stat -c %a "$file")
  if [[ $mode == 644 ]]; then ok "$file is mode 644 under umask 077"; else fail "$file is mode $mode"; fi
  run "promtool_$pid" "$promtool" check metrics <"$file"
  if [[ $(rc "promtool_$pid") == 0 && ! -s $work/promtool_$pid.out && ! -s $work/promtool_$pid.err ]]; then
    ok "promtool check metrics accepts $file"
  else
    fail "promtool check metrics on $file"
    show "promtool_$pid"
  fi
done
# Only the three files: no temporary file a collector would also read.
prom_files=$(find "$textfiles" -name '*.prom' | wc -l)
if [[ $prom_files == 3 ]]; then ok "three *.prom files"; else fail "$prom_files *.prom files: $(ls "$textfiles")"; fi

run stats_dir "$odbcpool" stats --json "$textfiles"
expect_rc stats_dir 0
if "$python" - "$work/stats_dir.out" "${!held_by[@]}" "${held_by[@]}" <<'PY'; then
import json, sys
data = json.load(open(sys.argv[1]))
n = (len(sys.argv) - 2) // 2
expected = dict(zip(map(int, sys.argv[2:2 + n]), map(int, sys.argv[2 + n:])))
got = {f["pid"]: [(p["pool"], p["pid"], p["in_use"]) for p in f["pools"]] for f in data["files"]}
assert got == {pid: [("textfile_pooled", pid, held)] for pid, held in expected.items()}, got
PY
  ok "odbcpool stats DIR: one file per process, each with its pid and its connections"
else
  fail "odbcpool stats DIR does not list the three processes"
  show stats_dir
fi

# node_exporter with the textfile collector only, on a free loopback port.
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$node_exporter" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$textfiles" >"$work/node_exporter.log" 2>&1 &
exporter_pid=$!
started+=("$exporter_pid")

scrape() {
  "$python" -c '
import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())
' "http://127.0.0.1:$port/metrics" >"$work/$1.out" 2>"$work/$1.err"
}
for _ in $(seq 1 100); do
  scrape first && break
  kill -0 "$exporter_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ ! -s $work/first.out ]]; then
  fail "node_exporter did not serve http://127.0.0.1:$port/metrics: $(cat "$work/node_exporter.log")"
  finish
fi

# The values of one series in a scrape, as "pid value" lines:
#   values_by_pid SCRAPE NAME [LABEL=VALUE...]
values_by_pid() {
  "$python" - "$work/$1.out" "${@:2}" <<'PY'
import re, sys
path, name = sys.argv[1], sys.argv[2]
wanted = dict(a.split("=", 1) for a in sys.argv[3:])
for line in open(path):
    m = re.match(r'([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$', line.strip())
    if not m or m.group(1) != name:
        continue
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
    if all(labels.get(k) == v for k, v in wanted.items()):
        print(labels.get("pid", "-"), m.group(3))
PY
}

expected_in_use=$(for pid in "${!held_by[@]}"; do echo "$pid ${held_by[$pid]}"; done | sort)
got_in_use=$(values_by_pid first odbcpool_connections state=in_use | sort)
if [[ $got_in_use == "$expected_in_use" ]]; then
  ok "node_exporter serves in_use of all three processes: $(echo "$got_in_use" | tr '\n' ' ')"
else
  fail "node_exporter serves in_use '$got_in_use', expected '$expected_in_use'"
fi
writers=$(values_by_pid first odbcpool_metrics_writer_info | sort)
expected_writers=$(for pid in "${!held_by[@]}"; do echo "$pid 1"; done | sort)
if [[ $writers == "$expected_writers" ]]; then ok "one writer_info per process"; else fail "writer_info: '$writers'"; fi
scrape_error=$(sed -n 's/^node_textfile_scrape_error \(.*\)$/\1/p' "$work/first.out")
if [[ $scrape_error == 0 ]]; then ok "node_textfile_scrape_error is 0"; else fail "node_textfile_scrape_error is '$scrape_error'"; fi
mtimes=$(grep -c "^node_textfile_mtime_seconds{file=\"$textfiles/odbcpool-[0-9]*\.prom\"}" "$work/first.out")
if [[ $mtimes == 3 ]]; then ok "node_textfile_mtime_seconds for the three files"; else fail "$mtimes node_textfile_mtime_seconds series"; fi
if grep -q "collected before" "$work/node_exporter.log"; then
  fail "node_exporter saw duplicate series: $(grep "collected before" "$work/node_exporter.log" | head -3)"
else
  ok "node_exporter logs no duplicate series"
fi

# SIGTERM skips the exit handlers: the file stays, and its last write stops.
for pid in "${!held_by[@]}"; do [[ ${held_by[$pid]} == 1 ]] && killed=$pid; done
kill -TERM "$killed"
wait "$killed" 2>/dev/null
stale_file=$textfiles/odbcpool-$killed.prom
if [[ -e $stale_file ]]; then ok "a process killed by SIGTERM leaves its file"; else fail "$stale_file is gone after SIGTERM"; fi
last_write() { sed -n "s/^odbcpool_metrics_last_write_timestamp_seconds{pid=\"$2\"} //p" "$1"; }
dead_at=$(last_write "$stale_file" "$killed")
# Wait (by events, not time) until every live process has written well after it.
for _ in $(seq 1 200); do
  scrape later
  newer=0
  for pid in "${!held_by[@]}"; do
    [[ $pid == "$killed" ]] && continue
    at=$(values_by_pid later odbcpool_metrics_last_write_timestamp_seconds | sed -n "s/^$pid //p")
    "$python" -c 'import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]) + 1)' "${at:-0}" "$dead_at" && newer=$((newer + 1))
  done
  ((newer == 2)) && break
  sleep 0.1
done
stale_at=$(values_by_pid later odbcpool_metrics_last_write_timestamp_seconds | sed -n "s/^$killed //p")
# node_exporter prints the value its own way (1.7647e+09): compare numbers.
if ((newer == 2)) && "$python" -c 'import sys; sys.exit(float(sys.argv[1]) != float(sys.argv[2]))' "${stale_at:-0}" "$dead_at"; then
  ok "the killed process's last write ($dead_at) stays behind the live ones'"
else
  fail "last writes: killed $killed at '$stale_at' (file: '$dead_at'), $newer live ones newer"
  grep '^odbcpool_metrics' "$work/later.out"
fi

# A clean exit removes the files; the stale one is all that is left.
touch "$work/stop"
for pid in "${!held_by[@]}"; do
  [[ $pid == "$killed" ]] && continue
  wait "$pid"
  status=$?
  if ((status == 0)); then ok "process $pid exits 0"; else fail "process $pid exits $status"; fi
done
left=$(cd "$textfiles" && ls)
if [[ $left == "odbcpool-$killed.prom" ]]; then ok "only the killed process's file is left"; else fail "left: $left"; fi

finish
