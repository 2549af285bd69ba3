#!/usr/bin/env bash
# check_test.sh ODBCPOOL FAMILY   (FAMILY: sqlite or pg_unicode)
#
# `odbcpool check` against the fixture's FAMILY_pooled: exit 0, the second
# connect pooled and reusing the first's physical connection (as the pool's
# own metrics count them), the validation query's result, --count; and
# failures with the ODBC diagnostic: a target that does not exist (IM002),
# Pooling=no, a DSN that is not odbcpool's, a failing validation query. No
# password ever appears in the output.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/tools_test_lib.sh"
odbcpool=${1:?usage: $0 ODBCPOOL FAMILY}
family=${2:?usage: $0 ODBCPOOL FAMILY}
secret=odbcpool-secret # the fixture role's password, in pg_*_direct

use_fixture_ini
dsn=${family}_pooled

run pooled "$odbcpool" check "$dsn"
expect_rc pooled 0
expect_grep pooled '^  physical connect +[0-9.]+ (us|ms|s)  \(the first connect of a new pool\)$'
expect_grep pooled '^  pooled borrow +[0-9.]+ (us|ms|s)$'
expect_grep pooled '^  validation query +SELECT 1 -> 1  \('
expect_grep pooled '^  pooled +yes \(ODBCPOOL_ATTR_POOLED = 1\)$'
expect_grep pooled '^  reuse +1 physical connect for 2 borrows: the second connect reused'
expect_grep pooled "^OK: DSN $dsn connects"
expect_no_grep pooled "$secret"

run count "$odbcpool" check "$dsn" --count 4
expect_rc count 0
expect_grep count '^  pooled borrows +4: min [0-9.]+ (us|ms|s), median [0-9.]+ (us|ms|s), max '
expect_grep count '^  reuse +1 physical connect for 5 borrows'

# A private ini for the failures, over the same target DSN.
private_ini
target=${family}_direct
if [[ $family == sqlite ]]; then
  add_dsn "$target" "Driver=SQLite3" "Database=$work/check.sqlite"
else
  add_dsn "$target" "Driver=PostgreSQL Unicode" "Servername=127.0.0.1" \
    "Port=$ODBCPOOL_TEST_PG_PORT" "Database=odbcpool_test" "Username=odbcpool" \
    "Password=$secret"
fi
add_dsn lost_target "Driver=odbcpool" "TargetDSN=no_such_target_dsn"
add_dsn unpooled "Driver=odbcpool" "TargetDSN=$target" "Pooling=no"
add_dsn answer "Driver=odbcpool" "TargetDSN=$target" "PoolValidationQuery=SELECT 42"
add_dsn bad_query "Driver=odbcpool" "TargetDSN=$target" "PoolValidationQuery=SELECT * FROM no_such_table_$$"

run json "$odbcpool" check --json answer
expect_rc json 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is True and d["failed"] is None and d["report"]["pooled"].startswith("yes"), d' "$work/json.out"; then
  ok "check --json: pooled, ok"
else
  fail "check --json of answer"
  show json
fi
run json_lost "$odbcpool" check --json lost_target
expect_rc json_lost 1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["failed"].startswith("the first (physical) connect") and "IM002" in d["why"], d' "$work/json_lost.out"; then
  ok "check --json of a lost target: the failed step and why"
else
  fail "check --json of a lost target"
  show json_lost
fi

run lost "$odbcpool" check lost_target
expect_rc lost 1
expect_grep lost '\[IM002\] .*no_such_target_dsn'
expect_grep lost '^FAILED: the first \(physical\) connect'
# The reason is said once: on stderr, not again in the report.
if [[ $(grep -c 'IM002' "$work/lost.out" "$work/lost.err" | awk -F: '{n += $2} END {print n}') == 1 ]]; then
  ok "lost: the error is printed once"
else
  fail "lost: the error is printed more than once"
  show lost
fi
# The command's own error is one line; the driver it loaded may log the
# refused connect too (LogFile defaults to stderr), in its own format.
own_err=$(grep -v '^[0-9-]* [0-9:.]* odbcpool\[[0-9]*:[0-9]*\] ' "$work/lost.err" || true)
if grep -q 'IM002' <<<"$own_err" && [[ $(wc -l <<<"$own_err") == 1 ]]; then
  ok "lost: one line on stderr names IM002"
else
  fail "lost: stderr is not one line with IM002"
  show lost
fi

run unpooled "$odbcpool" check unpooled
expect_rc unpooled 1
expect_grep unpooled '^  pooled +no \(ODBCPOOL_ATTR_POOLED = 0\)$'
expect_grep unpooled 'not pooled: pooling is off \(Pooling=no\)'

run answer "$odbcpool" check answer
expect_rc answer 0
expect_grep answer '^  validation query +SELECT 42 -> 42  \('

run bad_query "$odbcpool" check bad_query
expect_rc bad_query 1
expect_grep bad_query "the validation query SELECT \* FROM no_such_table_$$ failed: \[[0-9A-Z]{5}\] "

run direct "$odbcpool" check "$target"
expect_rc direct 1
expect_grep direct "DSN $target does not use odbcpool"

run no_dsn "$odbcpool" check no_such_dsn_at_all
expect_rc no_dsn 1
expect_grep no_dsn '\[IM002\]'

run dsnless "$odbcpool" check --connection-string "DRIVER={odbcpool};TargetDSN=$target;PoolMaxSize=2"
expect_rc dsnless 0
expect_grep dsnless '^  reuse +1 physical connect for 2 borrows'

if [[ $family == pg_unicode ]]; then
  # Credentials on the command line override the DSN's; never echoed.
  run credentials "$odbcpool" check answer --user odbcpool --password "$secret"
  expect_rc credentials 0
  expect_no_grep credentials "$secret"
  export ODBCPOOL_TEST_CHECK_PW=$secret
  run credentials_env "$odbcpool" check answer --user odbcpool --password-env ODBCPOOL_TEST_CHECK_PW
  expect_rc credentials_env 0
  expect_no_grep credentials_env "$secret"
  wrong=wrong-pw-$$-x
  run wrong "$odbcpool" check answer --user odbcpool --password "$wrong"
  expect_rc wrong 1
  expect_grep wrong 'failed: \[[0-9A-Z]{5}\] .*password authentication failed'
  expect_no_grep wrong "$wrong"
  for name in pooled count lost unpooled answer bad_query direct dsnless credentials_env; do
    expect_no_grep "$name" "$secret"
  done
fi

finish
