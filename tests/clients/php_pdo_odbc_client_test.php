<?php
// PHP's PDO_ODBC, through the unixODBC Driver Manager, against a pooled
// PostgreSQL DSN and the direct DSN behind it.
//
//   php php_pdo_odbc_client_test.php FAMILY      FAMILY: pg_unicode, pg_ansi
//
// The battery of php_odbc_client_test.php through PDO: prepared inserts and
// selects of UTF-8 text with characters outside the BMP, a missing table's
// errorInfo, beginTransaction with rollBack and commit. Then reuse: a second
// new PDO after the first was released gets the same backend, without the
// first one's search_path, temp table or open transaction. Exits 1 if any
// check fails.

require __DIR__ . '/php_client_checks.php';

$family = family_from_argv($argv);
$direct = "{$family}_direct";
$pooled = "{$family}_pooled";

function pdo_connect(string $dsn): PDO
{
    try {
        return new PDO("odbc:DSN=$dsn", PG_USER, PG_PASSWORD, [PDO::ATTR_ERRMODE => PDO::ERRMODE_SILENT]);
    } catch (PDOException $e) {
        echo "FAIL: new PDO(odbc:DSN=$dsn): " . $e->getMessage() . "\n";
        exit(1);
    }
}

function exec_ok(PDO $db, string $sql): bool
{
    if ($db->exec($sql) !== false) {
        return true;
    }
    return check(false, "exec $sql", implode(' | ', $db->errorInfo()));
}

function value(PDO $db, string $sql, array $params = [])
{
    $st = $db->prepare($sql);
    if ($st === false || !$st->execute($params)) {
        check(false, "prepared $sql", implode(' | ', ($st ?: $db)->errorInfo()));
        return null;
    }
    $value = $st->fetchColumn();
    $st->closeCursor();
    return $value;
}

// Returns what the pooled run must repeat: the missing table's errorInfo.
function battery(string $dsn, PDO $observer): array
{
    echo "--- new PDO(odbc:DSN=$dsn)\n";
    $table = table_name('php_pdo', $dsn);
    $db = pdo_connect($dsn);

    check(exec_ok($db, "CREATE TABLE $table (id integer PRIMARY KEY, txt varchar(200))"), "$dsn: create $table");
    $insert = $db->prepare("INSERT INTO $table (id, txt) VALUES (?, ?)");
    foreach (TEXT_ROWS as $id => $text) {
        check($insert->execute([$id, $text]), "$dsn: prepared insert of row $id",
            implode(' | ', $insert->errorInfo()));
    }
    $insert = null;
    foreach (TEXT_ROWS as $id => $text) {
        check_equal($text, value($db, "SELECT txt FROM $table WHERE id = ?", [$id]), "$dsn: row $id read back");
        check_equal(strtoupper(bin2hex($text)),
            value($db, 'SELECT ' . utf8_hex_sql('txt') . " FROM $table WHERE id = ?", [$id]),
            "$dsn: row $id as the server stored it (UTF-8 hex)");
    }

    $missing = 'no_such_table_php_pdo';
    $st = $db->prepare("SELECT * FROM $missing");
    check($st === false || !$st->execute(), "$dsn: select from $missing fails");
    [$state, , $message] = ($st ?: $db)->errorInfo();
    $st = null;
    check_equal('42P01', $state, "$dsn: errorInfo SQLSTATE");
    check(str_contains($message, "relation \"$missing\" does not exist"),
        "$dsn: errorInfo message names the missing table", "got '$message'");

    check($db->beginTransaction(), "$dsn: beginTransaction");
    check(exec_ok($db, "INSERT INTO $table (id, txt) VALUES (10, 'rolled back')"), "$dsn: insert 10");
    check($db->rollBack(), "$dsn: rollBack");
    check_equal('0', value($db, "SELECT count(*) FROM $table WHERE id = 10"),
        "$dsn: row 10 is gone after the rollback");
    check($db->beginTransaction(), "$dsn: beginTransaction");
    check(exec_ok($db, "INSERT INTO $table (id, txt) VALUES (11, 'committed')"), "$dsn: insert 11");
    check_equal('0', value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection does not see row 11 before the commit");
    check($db->commit(), "$dsn: commit");
    check_equal('1', value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection sees row 11 after the commit");

    check(exec_ok($db, "DROP TABLE $table"), "$dsn: drop $table");
    $db = null;
    // The message ends with PDO_ODBC's own "(SQLExecute[...] at file:line)".
    return [$state, preg_replace('/ \(SQL\w+\[.*$/s', '', $message)];
}

function reuse(string $dsn, PDO $observer, bool $expect_reuse): void
{
    echo "--- reuse over $dsn\n";
    $table = table_name('php_pdo_reuse', $dsn);
    exec_ok($observer, "CREATE TABLE $table (id integer)");
    $default_path = value($observer, 'SHOW search_path');

    $first = pdo_connect($dsn);
    $first_pid = value($first, 'SELECT pg_backend_pid()');
    exec_ok($first, 'SET search_path TO left_behind_by_the_first');
    exec_ok($first, 'CREATE TEMP TABLE left_behind_pdo (x integer)');
    $first->beginTransaction();
    exec_ok($first, "INSERT INTO public.$table VALUES (1)");
    $first = null;  // disconnects with the transaction open

    $second = pdo_connect($dsn);
    $second_pid = value($second, 'SELECT pg_backend_pid()');
    if ($expect_reuse) {
        check_equal($first_pid, $second_pid, "$dsn: the second connect has the first one's backend");
    } else {
        check($first_pid !== $second_pid,
            "$dsn: the second connect has a backend of its own (control: $first_pid, $second_pid)");
    }
    check_equal($default_path, value($second, 'SHOW search_path'), "$dsn: search_path is the default");
    check_equal('0', value($second, "SELECT count(*) FROM pg_class WHERE relname = 'left_behind_pdo'"),
        "$dsn: the first connection's temp table is gone");
    check_equal('0', value($observer, "SELECT count(*) FROM $table WHERE id = 1"),
        "$dsn: the first connection's open transaction was rolled back");
    exec_ok($second, "INSERT INTO $table VALUES (2)");
    check_equal('1', value($observer, "SELECT count(*) FROM $table WHERE id = 2"),
        "$dsn: an insert on the second connection is committed at once");
    $second = null;
    exec_ok($observer, "DROP TABLE $table");
}

$observer = pdo_connect($direct);
$seen_direct = battery($direct, $observer);
$seen_pooled = battery($pooled, $observer);
check_equal($seen_direct, $seen_pooled, 'the pooled DSN reports the error exactly as the direct one');
reuse($direct, $observer, false);
reuse($pooled, $observer, true);
$observer = null;
finish();
