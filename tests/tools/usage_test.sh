#!/usr/bin/env bash
# usage_test.sh ODBCPOOL VERSION: --help for the command and each
# subcommand, --version, and usage errors: one clear line on stderr,
# nothing on stdout, exit 2.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/tools_test_lib.sh"
odbcpool=${1:?usage: $0 ODBCPOOL VERSION}
version=${2:?usage: $0 ODBCPOOL VERSION}

run help "$odbcpool" --help
expect_rc help 0
for sub in config check stats; do expect_grep help "^  $sub "; done
run help_short "$odbcpool" -h
expect_rc help_short 0
if cmp -s "$work/help.out" "$work/help_short.out"; then ok "-h is --help"; else fail "-h differs from --help"; fi

for sub in config check stats; do
  run "help_$sub" "$odbcpool" "$sub" --help
  expect_rc "help_$sub" 0
  expect_grep "help_$sub" "^usage: odbcpool $sub"
  expect_grep "help_$sub" "^exit status: "
  run "help_word_$sub" "$odbcpool" help "$sub"
  if cmp -s "$work/help_$sub.out" "$work/help_word_$sub.out"; then
    ok "odbcpool help $sub is odbcpool $sub --help"
  else
    fail "odbcpool help $sub differs from odbcpool $sub --help"
  fi
done

run version "$odbcpool" --version
expect_rc version 0
if [[ $(out version) == "odbcpool $version" ]]; then
  ok "--version prints odbcpool $version"
else
  fail "--version prints '$(out version)', expected 'odbcpool $version'"
fi

# One line on stderr, nothing on stdout, exit 2.
expect_usage_error() {
  local name=$1 pattern=$2
  shift 2
  run "$name" "$odbcpool" "$@"
  expect_rc "$name" 2
  if [[ -s $work/$name.out ]]; then fail "$name prints on stdout"; show "$name"; else ok "$name: stdout empty"; fi
  if [[ $(wc -l <"$work/$name.err") == 1 ]] && grep -Eq -- "$pattern" "$work/$name.err"; then
    ok "$name: one line: $(err "$name")"
  else
    fail "$name: stderr is not one line matching /$pattern/"
    show "$name"
  fi
}

expect_usage_error no_command "^odbcpool: a command is needed"
expect_usage_error unknown_command "^odbcpool: unknown command 'frobnicate'" frobnicate
expect_usage_error unknown_top_option "^odbcpool: unknown option '--frobnicate'" --frobnicate
expect_usage_error config_option "^odbcpool config: unknown option '--bogus'" config sqlite_pooled --bogus
expect_usage_error config_no_dsn "^odbcpool config: a DSN or --connection-string is needed" config
expect_usage_error config_two "^odbcpool config: one DSN expected" config a b
expect_usage_error config_both "^odbcpool config: give a DSN or --connection-string, not both" \
  config a --connection-string "DSN=b"
expect_usage_error config_malformed "^odbcpool config: --connection-string: malformed connection string" \
  config --connection-string "DSN={unclosed"
expect_usage_error check_option "^odbcpool check: unknown option '-x'" check sqlite_pooled -x
expect_usage_error check_count "^odbcpool check: --count takes a whole number from 1 to" \
  check sqlite_pooled --count 0
expect_usage_error check_value "^odbcpool check: option '--user' needs a value" check sqlite_pooled --user
expect_usage_error check_env "^odbcpool check: --password-env ODBCPOOL_UNSET_VARIABLE_X: the variable is not set" \
  check sqlite_pooled --password-env ODBCPOOL_UNSET_VARIABLE_X
expect_usage_error stats_option "^odbcpool stats: option '--json' takes no value" stats --json=yes
expect_usage_error stats_unknown "^odbcpool stats: unknown option '--pid'" stats --pid 1

finish
