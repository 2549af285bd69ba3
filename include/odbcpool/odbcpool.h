/* odbcpool: the public header.
 *
 * odbcpool is an ODBC driver that pools the connections of another ODBC
 * driver. Applications need nothing from this header to be pooled; it names
 * the configuration keys (for tools that write odbc.ini) and the few
 * connection attributes odbcpool answers itself. */
#ifndef ODBCPOOL_ODBCPOOL_H
#define ODBCPOOL_ODBCPOOL_H

/* Configuration keys, case-insensitive, in a connection string, a DSN
 * section of odbc.ini, or the [odbcpool] section of odbcinst.ini. */
#define ODBCPOOL_KEY_TARGET_DSN "TargetDSN"
#define ODBCPOOL_KEY_TARGET_DRIVER "TargetDriver"
#define ODBCPOOL_KEY_POOLING "Pooling"
#define ODBCPOOL_KEY_MAX_SIZE "PoolMaxSize"
#define ODBCPOOL_KEY_MIN_IDLE "PoolMinIdle"
#define ODBCPOOL_KEY_ACQUIRE_TIMEOUT "PoolAcquireTimeout"
#define ODBCPOOL_KEY_IDLE_TIMEOUT "PoolIdleTimeout"
#define ODBCPOOL_KEY_MAX_LIFETIME "PoolMaxLifetime"
#define ODBCPOOL_KEY_VALIDATION "PoolValidation"
#define ODBCPOOL_KEY_VALIDATION_QUERY "PoolValidationQuery"
#define ODBCPOOL_KEY_VALIDATION_BYPASS "PoolValidationBypass"
#define ODBCPOOL_KEY_VALIDATION_TIMEOUT "PoolValidationTimeout"
#define ODBCPOOL_KEY_KEEPALIVE "PoolKeepalive"
#define ODBCPOOL_KEY_RESET_ON_RETURN "PoolResetOnReturn"
#define ODBCPOOL_KEY_RESET_STATEMENT "PoolResetStatement"
#define ODBCPOOL_KEY_INIT_STATEMENT "PoolInitStatement"
#define ODBCPOOL_KEY_LEAK_THRESHOLD "PoolLeakThreshold"
#define ODBCPOOL_KEY_LOG_LEVEL "LogLevel"
#define ODBCPOOL_KEY_LOG_FILE "LogFile"
#define ODBCPOOL_KEY_METRICS_FILE "MetricsFile"
#define ODBCPOOL_KEY_METRICS_INTERVAL "MetricsInterval"

/* Connection attributes answered by odbcpool itself (SQLGetConnectAttr /
 * SQLSetConnectAttr on a connected handle), chosen far above the range
 * drivers use for their own so they never shadow the target's.
 *
 * ODBCPOOL_ATTR_POOLED (read-only, SQLUINTEGER): 1 when the connection was
 *   borrowed from a pool, 0 when it is a physical connection of its own
 *   (Pooling=no). */
#define ODBCPOOL_ATTR_POOLED 1330533121

#endif /* ODBCPOOL_ODBCPOOL_H */
