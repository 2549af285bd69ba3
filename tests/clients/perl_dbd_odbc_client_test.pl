#!/usr/bin/perl
# Perl DBI with DBD::ODBC, through the unixODBC Driver Manager, against a
# pooled PostgreSQL DSN and the direct DSN behind it.
#
#   perl perl_dbd_odbc_client_test.pl FAMILY      FAMILY: pg_unicode, pg_ansi
#
# The battery: prepared inserts and selects of UTF-8 text with characters
# outside the BMP, read back and checked on the server; a missing table's
# state and errstr; rollback and commit with AutoCommit off, seen from
# another connection; ping. The pooled run's error must read as the direct
# run's. Then: a second connect after disconnect gets the same backend
# (pg_backend_pid) without the first one's search_path, temp table or open
# transaction; connect_cached hands back the cached handle, and after a
# disconnect a new one on the same backend; ping turns false when the
# backend is terminated, and the pool then opens a fresh one. Exits 1 if any
# check fails.
use strict;
use warnings;
use utf8;
use DBI;
use Encode qw(decode encode);

binmode STDOUT, ':encoding(UTF-8)';
$| = 1;

my ($family) = @ARGV;
die "usage: $0 pg_unicode|pg_ansi\n" unless defined $family && $family =~ /^pg_(unicode|ansi)$/;
my $direct = "${family}_direct";
my $pooled = "${family}_pooled";
my @credentials = ('odbcpool', 'odbcpool-secret');
# LongReadLen: psqlODBC describes text results (the hex below) as long
# columns, which DBD::ODBC reads up to 80 bytes by default.
my %attributes = (RaiseError => 0, PrintError => 0, AutoCommit => 1, LongReadLen => 4096);

# U+1F600 and U+1F418 are outside the BMP: four bytes in UTF-8, a surrogate
# pair in UTF-16.
my %text_rows = (
    1 => 'plain ascii',
    2 => 'café crème déjà vu – naïve Ångström',
    3 => '日本語のテキスト 中文 한국어',
    4 => "emoji outside the BMP: \x{1F600} \x{1F418} \x{1D11E}",
);

my $failures = 0;

sub check {
    my ($ok, $what, $detail) = @_;
    if ($ok) {
        print "ok: $what\n";
    } else {
        $failures++;
        print "FAIL: $what\n";
        print "      $detail\n" if defined $detail;
    }
    return $ok;
}

sub show { defined $_[0] ? "'$_[0]'" : 'undef' }

sub check_equal {
    my ($expected, $actual, $what) = @_;
    my $ok = defined $expected && defined $actual ? $expected eq $actual : !defined $expected && !defined $actual;
    return check($ok, "$what (expected " . show($expected) . ', got ' . show($actual) . ')');
}

sub connect_or_die {
    my ($dsn) = @_;
    my $dbh = DBI->connect("dbi:ODBC:$dsn", @credentials, {%attributes});
    return $dbh if $dbh;
    print "FAIL: connect to $dsn: $DBI::state $DBI::errstr\n";
    exit 1;
}

sub value {
    my ($dbh, $sql, @params) = @_;
    my ($value) = $dbh->selectrow_array($sql, undef, @params);
    check(0, "query $sql", $dbh->state . ' ' . $dbh->errstr) if $dbh->err;
    return $value;
}

# Debian builds DBD::ODBC without odbc_has_unicode: it binds and fetches
# bytes, so the text goes in as UTF-8 and comes back decoded by hand. With
# the Unicode build it binds and fetches SQL_WCHAR (UTF-16).
sub to_driver {
    my ($dbh, $text) = @_;
    return $dbh->{odbc_has_unicode} ? $text : encode('UTF-8', $text);
}

sub from_driver {
    my ($dbh, $text) = @_;
    return $text if !defined $text || $dbh->{odbc_has_unicode};
    return decode('UTF-8', $text, Encode::FB_CROAK);
}

sub do_ok {
    my ($dbh, $sql) = @_;
    return 1 if defined $dbh->do($sql);
    return check(0, "do $sql", $dbh->state . ' ' . $dbh->errstr);
}

# Returns what the pooled run must repeat: the missing table's diagnostics.
sub battery {
    my ($dsn, $observer) = @_;
    print "--- DBI->connect(dbi:ODBC:$dsn)\n";
    my $table = "clients_perl_${dsn}_$$";
    my $dbh = connect_or_die($dsn);
    print "DBD::ODBC $DBD::ODBC::VERSION, odbc_has_unicode=$dbh->{odbc_has_unicode}\n";

    check(do_ok($dbh, "CREATE TABLE $table (id integer PRIMARY KEY, txt varchar(200))"), "$dsn: create $table");
    my $insert = $dbh->prepare("INSERT INTO $table (id, txt) VALUES (?, ?)");
    for my $id (sort keys %text_rows) {
        check($insert->execute($id, to_driver($dbh, $text_rows{$id})), "$dsn: prepared insert of row $id",
            $insert->errstr);
    }
    my $read = $dbh->prepare("SELECT txt, upper(encode(convert_to(txt, 'UTF8'), 'hex')) FROM $table WHERE id = ?");
    for my $id (sort keys %text_rows) {
        $read->execute($id);
        my ($text, $hex) = $read->fetchrow_array;
        check(0, "$dsn: fetch row $id", $read->errstr) if $read->err;
        check_equal($text_rows{$id}, from_driver($dbh, $text), "$dsn: row $id read back");
        check_equal(uc unpack('H*', encode('UTF-8', $text_rows{$id})), $hex,
            "$dsn: row $id as the server stored it (UTF-8 hex)");
    }

    my $missing = 'no_such_table_perl';
    check(!defined $dbh->do("SELECT * FROM $missing"), "$dsn: select from $missing fails");
    my ($state, $message) = ($dbh->state, $dbh->errstr);
    check_equal('42P01', $state, "$dsn: state");
    check(index($message, qq{relation "$missing" does not exist}) >= 0,
        "$dsn: errstr names the missing table", "got '$message'");

    $dbh->{AutoCommit} = 0;
    check(!$dbh->{AutoCommit}, "$dsn: AutoCommit off");
    do_ok($dbh, "INSERT INTO $table (id, txt) VALUES (10, 'rolled back')");
    check($dbh->rollback, "$dsn: rollback");
    check_equal('0', value($dbh, "SELECT count(*) FROM $table WHERE id = 10"),
        "$dsn: row 10 is gone after the rollback");
    do_ok($dbh, "INSERT INTO $table (id, txt) VALUES (11, 'committed')");
    check_equal('0', value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection does not see row 11 before the commit");
    check($dbh->commit, "$dsn: commit");
    check_equal('1', value($observer, "SELECT count(*) FROM $table WHERE id = 11"),
        "$dsn: another connection sees row 11 after the commit");
    $dbh->{AutoCommit} = 1;

    check($dbh->ping, "$dsn: ping");
    check(do_ok($dbh, "DROP TABLE $table"), "$dsn: drop $table");
    $read->finish;
    $dbh->disconnect;
    return "$state $message";
}

sub reuse {
    my ($dsn, $observer, $expect_reuse) = @_;
    print "--- reuse over $dsn\n";
    my $table = "clients_perl_reuse_${dsn}_$$";
    do_ok($observer, "CREATE TABLE $table (id integer)");
    my $default_path = value($observer, 'SHOW search_path');

    my $first = connect_or_die($dsn);
    my $first_pid = value($first, 'SELECT pg_backend_pid()');
    do_ok($first, 'SET search_path TO left_behind_by_the_first');
    do_ok($first, 'CREATE TEMP TABLE left_behind_perl (x integer)');
    $first->begin_work;
    do_ok($first, "INSERT INTO public.$table VALUES (1)");
    $first->disconnect;

    my $second = connect_or_die($dsn);
    my $second_pid = value($second, 'SELECT pg_backend_pid()');
    if ($expect_reuse) {
        check_equal($first_pid, $second_pid, "$dsn: the second connect has the first one's backend");
    } else {
        check($first_pid ne $second_pid,
            "$dsn: the second connect has a backend of its own (control: $first_pid, $second_pid)");
    }
    check_equal($default_path, value($second, 'SHOW search_path'), "$dsn: search_path is the default");
    check_equal('0', value($second, "SELECT count(*) FROM pg_class WHERE relname = 'left_behind_perl'"),
        "$dsn: the first connection's temp table is gone");
    check_equal('0', value($observer, "SELECT count(*) FROM $table WHERE id = 1"),
        "$dsn: the first connection's open transaction was rolled back");
    do_ok($second, "INSERT INTO $table VALUES (2)");
    check_equal('1', value($observer, "SELECT count(*) FROM $table WHERE id = 2"),
        "$dsn: an insert on the second connection is committed at once");
    $second->disconnect;
    do_ok($observer, "DROP TABLE $table");
}

sub connect_cached {
    my ($dsn) = @_;
    print "--- DBI->connect_cached(dbi:ODBC:$dsn)\n";
    my $first = DBI->connect_cached("dbi:ODBC:$dsn", @credentials, {%attributes});
    my $again = DBI->connect_cached("dbi:ODBC:$dsn", @credentials, {%attributes});
    check($first && $again && $first == $again, "$dsn: connect_cached returns the cached handle");
    my $first_pid = value($first, 'SELECT pg_backend_pid()');
    $first->disconnect;
    my $renewed = DBI->connect_cached("dbi:ODBC:$dsn", @credentials, {%attributes});
    check($renewed && $renewed != $first, "$dsn: after a disconnect connect_cached opens a new handle");
    check_equal($first_pid, value($renewed, 'SELECT pg_backend_pid()'),
        "$dsn: the new handle has the first one's backend");
    $renewed->disconnect;
}

sub ping_after_terminate {
    my ($dsn, $observer) = @_;
    print "--- ping over $dsn after its backend is terminated\n";
    my $dbh = connect_or_die($dsn);
    my $pid = value($dbh, 'SELECT pg_backend_pid()');
    check($dbh->ping, "$dsn: ping while the backend $pid lives");
    check(value($observer, "SELECT pg_terminate_backend($pid)"), "terminate backend $pid");
    check(!$dbh->ping, "$dsn: ping after the backend was terminated");
    $dbh->disconnect;
    my $next = connect_or_die($dsn);
    my $next_pid = value($next, 'SELECT pg_backend_pid()');
    check(defined $next_pid && $next_pid ne $pid, "$dsn: the next connect has a live backend ($next_pid, not $pid)");
    $next->disconnect;
}

my $observer = connect_or_die($direct);
my $seen_direct = battery($direct, $observer);
my $seen_pooled = battery($pooled, $observer);
check_equal($seen_direct, $seen_pooled, 'the pooled DSN reports the error exactly as the direct one');
reuse($direct, $observer, 0);
reuse($pooled, $observer, 1);
connect_cached($pooled);
ping_after_terminate($pooled, $observer);
$observer->disconnect;

if ($failures) {
    print "$failures check(s) failed\n";
    exit 1;
}
print "all checks passed\n";
exit 0;
