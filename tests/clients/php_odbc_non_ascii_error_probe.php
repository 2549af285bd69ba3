<?php
// NOT registered with ctest: it demonstrates a known difference, and fails.
//
//   php php_odbc_non_ascii_error_probe.php     (in the test ini environment,
//                                               with the test server running)
//
// An error message with characters outside ASCII, read with odbc_errormsg
// (PHP's odbc extension calls SQLError; DBD::ODBC's ANSI build reads the same
// way), for the four PostgreSQL DSNs, next to PDO_ODBC's errorInfo
// (SQLGetDiagRec) as the control. unixODBC 2.3.11 copies a failing call's
// diagnostics into its own list right away, through SQLGetDiagRecW when the
// driver has wide entry points, and narrows that UTF-16 to the application's
// bytes one code unit at a time: 'ü' becomes the byte FC, the first half of
// U+1F600's surrogate pair (D83D) '=', and the second (DE00) a NUL that ends
// the message. psqlodbcw direct reads that way; psqlodbca direct does not
// (the message is doubly UTF-8 encoded, but whole). odbcpool exports the wide
// entry points for every target, so pg_ansi_pooled reads as psqlodbcw does:
// cut short after "fehlt_\xFC_=". Exits 1 while the pooled message lacks the
// table's name.

$table = "fehlt_ü_\u{1F600}";
$cut_short = false;
foreach (['pg_unicode_direct', 'pg_unicode_pooled', 'pg_ansi_direct', 'pg_ansi_pooled'] as $dsn) {
    $c = odbc_connect($dsn, 'odbcpool', 'odbcpool-secret');
    @odbc_exec($c, "SELECT * FROM \"$table\"");
    $message = odbc_errormsg($c);
    odbc_close($c);

    $pdo = new PDO("odbc:DSN=$dsn", 'odbcpool', 'odbcpool-secret',
        [PDO::ATTR_ERRMODE => PDO::ERRMODE_SILENT]);
    $pdo->exec("SELECT * FROM \"$table\"");
    $pdo_message = $pdo->errorInfo()[2];
    $pdo = null;

    $whole = str_contains($message, "\"$table\" does not exist");
    echo "$dsn: odbc_errormsg " . ($whole ? 'names' : 'does NOT name') . " the table: " . bin2hex($message) . "\n";
    echo "$dsn: PDO errorInfo " . (str_contains($pdo_message, "\"$table\" does not exist") ? 'names' : 'does NOT name')
        . " the table\n";
    if (str_ends_with($dsn, '_pooled') && !$whole) {
        $cut_short = true;
    }
}
exit($cut_short ? 1 : 0);
