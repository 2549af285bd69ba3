<?php
// One request of the host-wide limit's PHP-FPM workload (tests/host_limit,
// bench/run-php-fpm-host-limit), served by tests/support/php-fpm-server.
//
//   ?dsn=DSN&uid=USER&pwd=PASSWORD[&sleep=SECONDS][&hold=MS][&sql=plain]
//
// odbc_connect (not the persistent form: the pool is odbcpool's), one query
// (SELECT pg_backend_pid(), pg_sleep(SLEEP), SLEEP 0.05 by default; sql=plain
// runs SELECT pg_backend_pid() alone), then HOLD milliseconds with the
// connection still open (0 by default; the kill drill uses it to catch a
// worker while it holds a connection and its backend is idle), then
// odbc_close. Prints one JSON line:
//   {"ok":true,"worker":PID,"backend":PID,"connect_ms":..,"total_ms":..}
//   {"ok":false,"worker":PID,"stage":"connect"|"query","sqlstate":"HYT01",
//    "message":"..","connect_ms":..,"total_ms":..}
// connect_ms is how long odbc_connect took, success or not.

$started = microtime(true);
$dsn = $_GET['dsn'] ?? '';
$uid = $_GET['uid'] ?? '';
$pwd = $_GET['pwd'] ?? '';
$sleep = (float)($_GET['sleep'] ?? 0.05);
$hold = (int)($_GET['hold'] ?? 0);
$plain = ($_GET['sql'] ?? '') === 'plain';

function ms(float $from): float
{
    return round((microtime(true) - $from) * 1000.0, 3);
}

function answer(array $fields): void
{
    header('Content-Type: application/json');
    echo json_encode($fields + ['worker' => getmypid()]), "\n";
}

if ($dsn === '') {
    answer(['ok' => false, 'stage' => 'arguments', 'sqlstate' => '', 'message' => 'no dsn']);
    exit;
}

$c = @odbc_connect($dsn, $uid, $pwd);
$connect_ms = ms($started);
if ($c === false) {
    answer(['ok' => false, 'stage' => 'connect', 'sqlstate' => odbc_error(),
            'message' => odbc_errormsg(), 'connect_ms' => $connect_ms,
            'total_ms' => ms($started)]);
    exit;
}

$sql = $plain ? 'SELECT pg_backend_pid()'
              : sprintf('SELECT pg_backend_pid(), pg_sleep(%.3F)', $sleep);
$r = @odbc_exec($c, $sql);
if ($r === false || !odbc_fetch_row($r)) {
    $state = odbc_error($c);
    $message = odbc_errormsg($c);
    @odbc_close($c);
    answer(['ok' => false, 'stage' => 'query', 'sqlstate' => $state,
            'message' => $message, 'connect_ms' => $connect_ms,
            'total_ms' => ms($started)]);
    exit;
}
$backend = (int)odbc_result($r, 1);
odbc_free_result($r);
if ($hold > 0) {
    usleep($hold * 1000);
}
odbc_close($c);
answer(['ok' => true, 'backend' => $backend, 'connect_ms' => $connect_ms,
        'total_ms' => ms($started)]);
