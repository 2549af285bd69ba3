<?php
// What the PHP client tests share: the family argument, the DSNs and
// credentials of tests/support/write-test-ini, the test data, and check()
// that prints each comparison and counts failures.

const PG_USER = 'odbcpool';
const PG_PASSWORD = 'odbcpool-secret';

// U+1F600 and U+1F418 are outside the BMP: four bytes in UTF-8, a surrogate
// pair in UTF-16.
const TEXT_ROWS = [
    1 => 'plain ascii',
    2 => 'café crème déjà vu – naïve Ångström',
    3 => '日本語のテキスト 中文 한국어',
    4 => "emoji outside the BMP: \u{1F600} \u{1F418} \u{1D11E}",
];

$failures = 0;

function check(bool $ok, string $what, string $detail = ''): bool
{
    global $failures;
    if ($ok) {
        echo "ok: $what\n";
    } else {
        $failures++;
        echo "FAIL: $what\n";
        if ($detail !== '') {
            echo "      $detail\n";
        }
    }
    return $ok;
}

function check_equal($expected, $actual, string $what): bool
{
    $shown = 'expected ' . var_export($expected, true) . ', got ' . var_export($actual, true);
    return check($expected === $actual, "$what ($shown)", $shown);
}

function family_from_argv(array $argv): string
{
    $family = $argv[1] ?? '';
    if (!in_array($family, ['pg_unicode', 'pg_ansi'], true)) {
        fwrite(STDERR, "usage: {$argv[0]} pg_unicode|pg_ansi\n");
        exit(2);
    }
    return $family;
}

// A table of this process's own, so that concurrent runs do not meet.
function table_name(string $client, string $dsn): string
{
    return "clients_{$client}_{$dsn}_" . getmypid();
}

// The UTF-8 bytes PostgreSQL stored, in upper-case hex: proves the server
// holds the characters sent, not their mojibake.
function utf8_hex_sql(string $column): string
{
    return "upper(encode(convert_to($column, 'UTF8'), 'hex'))";
}

function finish(): void
{
    global $failures;
    if ($failures > 0) {
        echo "$failures check(s) failed\n";
        exit(1);
    }
    echo "all checks passed\n";
    exit(0);
}
