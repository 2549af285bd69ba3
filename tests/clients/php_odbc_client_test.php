<?php
// PHP's odbc extension, through the unixODBC Driver Manager, against a pooled
// PostgreSQL DSN and the direct DSN behind it.
//
//   php php_odbc_client_test.php FAMILY      FAMILY: pg_unicode, pg_ansi
//
// The battery (odbc_connect, then odbc_pconnect on the pooled DSN): prepared
// inserts and selects of UTF-8 text with characters outside the BMP, read
// back and checked on the server; a missing table's SQLSTATE and message
// (odbc_error, odbc_errormsg); rollback and commit with autocommit off, seen
// from another connection. The pooled run's error must read as the direct
// run's. Then reuse: a second odbc_connect after odbc_close gets the same
// backend (pg_backend_pid), and none of the first one's search_path, temp
// table, open transaction, autocommit off or serializable isolation. Exits 1
// if any check fails.
//
// The "cursor updatability changed, SQL state 01S02" warnings of the
// prepared selects are psqlODBC's, direct and pooled alike: php-odbc sets
// statement options on what it prepares, and psqlODBC substitutes one.

require __DIR__ . '/php_client_checks.php';

$family = family_from_argv($argv);
$direct = "{$family}_direct";
$pooled = "{$family}_pooled";

function connect_or_die(string $how, string $dsn)
{
    $c = @$how($dsn, PG_USER, PG_PASSWORD);
    if ($c === false) {
        echo "FAIL: $how($dsn): " . odbc_error() . ' ' . odbc_errormsg() . "\n";
        exit(1);
    }
    return $c;
}

function query_value($c, string $sql)
{
    $r = odbc_exec($c, $sql);
    if ($r === false) {
        check(false, "query $sql", odbc_error($c) . ' ' . odbc_errormsg($c));
        return null;
    }
    $value = odbc_fetch_row($r) ? odbc_result($r, 1) : null;
    odbc_free_result($r);
    return $value;
}

function prepared_value($c, string $sql, array $params)
{
    $s = odbc_prepare($c, $sql);
    if ($s === false || !odbc_execute($s, $params)) {
        check(false, "prepared $sql", odbc_error($c) . ' ' . odbc_errormsg($c));
        return null;
    }
    $value = odbc_fetch_row($s) ? odbc_result($s, 1) : null;
    odbc_free_result($s);
    return $value;
}

// Returns what the pooled run must repeat: the missing table's diagnostics.
function battery(string $how, string $dsn, $observer): array
{
    echo "--- $how($dsn)\n";
    $table = table_name('php_odbc', $dsn);
    $c = connect_or_die($how, $dsn);

    check(odbc_exec($c, "CREATE TABLE $table (id integer PRIMARY KEY, txt varchar(200))") !== false,
        "$dsn: create $table");
    $insert = odbc_prepare($c, "INSERT INTO $table (id, txt) VALUES (?, ?)");
    foreach (TEXT_ROWS as $id => $text) {
        check(odbc_execute($insert, [$id, $text]), "$dsn: prepared insert of row $id");
    }
    odbc_free_result($insert);
    foreach (TEXT_ROWS as $id => $text) {
        check_equal($text, prepared_value($c, "SELECT txt FROM $table WHERE id = ?", [$id]),
            "$dsn: row $id read back");
        check_equal(strtoupper(bin2hex($text)),
            prepared_value($c, 'SELECT ' . utf8_hex_sql('txt') . " FROM $table WHERE id = ?", [$id]),
            "$dsn: row $id as the server stored it (UTF-8 hex)");
    }

    $missing = 'no_such_table_php_odbc';
    check(@odbc_exec($c, "SELECT * FROM $missing") === false, "$dsn: select from $missing fails");
    $state = odbc_error($c);
    $message = odbc_errormsg($c);
    check_equal('42P01', $state, "$dsn: odbc_error");
    check(str_contains($message, "relation \"$missing\" does not exist"),
        "$dsn: odbc_errormsg names the missing table", "got '$message'");

    check(odbc_autocommit($c, false), "$dsn: autocommit off");
    check(odbc_exec($c, "INSERT INTO $table (id, txt) VALUES (10, 'rolled back')") !== false,
        "$dsn: insert 10");
    check(odbc_rollback($c), "$dsn: odbc_rollback");
    check_equal('0', query_value($c, "SELECT count(*) FROM $table WHERE id = 10"),
        "$dsn: row 10 is gone after the rollback");
    check(odbc_exec($c, "INSERT INTO $table (id, txt) VALUES (11, 'committed')") !== false,
        "$dsn: insert 11");
    check_equal('0', query_value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection does not see row 11 before the commit");
    check(odbc_commit($c), "$dsn: odbc_commit");
    check_equal('1', query_value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection sees row 11 after the commit");
    check(odbc_autocommit($c, true), "$dsn: autocommit back on");

    check(odbc_exec($c, "DROP TABLE $table") !== false, "$dsn: drop $table");
    odbc_close($c);
    return [$state, $message];
}

// The first connection leaves session state behind; the second, in the same
// process, must get the same backend without any of it.
function reuse(string $dsn, $observer, bool $expect_reuse): void
{
    echo "--- reuse over $dsn\n";
    $table = table_name('php_odbc_reuse', $dsn);
    check(odbc_exec($observer, "CREATE TABLE $table (id integer)") !== false, "create $table");
    $default_path = query_value($observer, 'SHOW search_path');
    $default_isolation = query_value($observer, 'SHOW transaction_isolation');

    $first = connect_or_die('odbc_connect', $dsn);
    $first_pid = query_value($first, 'SELECT pg_backend_pid()');
    odbc_exec($first, 'SET search_path TO left_behind_by_the_first');
    odbc_exec($first, 'CREATE TEMP TABLE left_behind_php (x integer)');
    check(odbc_setoption($first, 1, SQL_TXN_ISOLATION, SQL_TXN_SERIALIZABLE),
        "$dsn: the first connection asks for serializable");
    check_equal('serializable', query_value($first, 'SHOW transaction_isolation'),
        "$dsn: the first connection is serializable");
    odbc_autocommit($first, false);
    check(odbc_exec($first, "INSERT INTO public.$table VALUES (1)") !== false,
        "$dsn: the first connection inserts 1, uncommitted");
    odbc_close($first);

    $second = connect_or_die('odbc_connect', $dsn);
    $second_pid = query_value($second, 'SELECT pg_backend_pid()');
    if ($expect_reuse) {
        check_equal($first_pid, $second_pid, "$dsn: the second connect has the first one's backend");
    } else {
        check($first_pid !== $second_pid,
            "$dsn: the second connect has a backend of its own (control: $first_pid, $second_pid)");
    }
    check_equal($default_path, query_value($second, 'SHOW search_path'), "$dsn: search_path is the default");
    check_equal('0', query_value($second, "SELECT count(*) FROM pg_class WHERE relname = 'left_behind_php'"),
        "$dsn: the first connection's temp table is gone");
    check_equal('0', query_value($observer, "SELECT count(*) FROM $table WHERE id = 1"),
        "$dsn: the first connection's uncommitted insert was rolled back");
    check_equal(1, odbc_autocommit($second), "$dsn: odbc_autocommit reads on");
    check_equal($default_isolation, query_value($second, 'SHOW transaction_isolation'),
        "$dsn: the isolation level is the default");
    odbc_exec($second, "INSERT INTO $table VALUES (2)");
    check_equal('1', query_value($observer, "SELECT count(*) FROM $table WHERE id = 2"),
        "$dsn: an insert on the second connection is committed at once");
    odbc_close($second);
    odbc_exec($observer, "DROP TABLE $table");
}

// odbc_setoption's option 1 is SQLSetConnectOption; php-odbc defines no
// constants for it.
const SQL_TXN_ISOLATION = 108;
const SQL_TXN_SERIALIZABLE = 8;

// "DSN=..." keeps the observer out of PHP's reuse of an open link with the
// same arguments: it goes through SQLDriverConnect, the others SQLConnect.
$observer = connect_or_die('odbc_connect', "DSN=$direct");
$seen_direct = battery('odbc_connect', $direct, $observer);
$seen_pooled = battery('odbc_connect', $pooled, $observer);
check_equal($seen_direct, $seen_pooled, 'the pooled DSN reports the error exactly as the direct one');
$seen_persistent = battery('odbc_pconnect', $pooled, $observer);
check_equal($seen_direct, $seen_persistent, 'odbc_pconnect on the pooled DSN reports the error as the direct one');
reuse($direct, $observer, false);
reuse($pooled, $observer, true);
odbc_close($observer);
finish();
