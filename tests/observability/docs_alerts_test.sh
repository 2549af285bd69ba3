#!/usr/bin/env bash
# docs_alerts_test.sh PROMTOOL OPERATIONS_MD
#
# The alert rules docs/operations.md suggests ("Alerts worth setting", its
# indented blocks) must be rules Prometheus loads: promtool check rules.
set -uo pipefail
promtool=${1:?usage: $0 PROMTOOL OPERATIONS_MD}
page=${2:?usage: $0 PROMTOOL OPERATIONS_MD}
if [[ ! -x $promtool ]]; then
  echo "FAIL: $promtool is missing: scripts/install-deps installs prometheus"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$page" >"$work/rules.yml" <<'PY' || exit 1
import sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("### Alerts worth setting")
block = []
for line in lines[start + 1:]:
    if line.startswith("#"):
        break  # the next section
    if line.startswith("    ") or not line.strip():
        block.append(line[4:])  # prose between the blocks is left out
if not any(l.startswith("- alert:") for l in block):
    sys.exit("no '- alert:' in the section")
print("groups:\n  - name: odbcpool\n    rules:")
for l in block:
    print("      " + l if l.strip() else "")
PY
alerts=$(grep -c -- '- alert:' "$work/rules.yml")
if "$promtool" check rules "$work/rules.yml"; then
  echo "ok: promtool loads the $alerts alerts of $page"
else
  echo "FAIL: promtool check rules on the alerts of $page:"
  cat "$work/rules.yml"
  exit 1
fi
