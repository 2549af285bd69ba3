# The environment every test runs in: private unixODBC ini files instead of
# /etc, and for the tests that ask for it a throwaway PostgreSQL server on
# 127.0.0.1. Both are ctest fixtures, so `ctest -L <label>` or `ctest -R`
# sets them up (and tears PostgreSQL down) on its own.
#
#   odbcpool_add_test(NAME <name> COMMAND <cmd...> LABELS <labels...>
#                     [NEEDS_POSTGRES] [NEEDS_MARIADB] [PROPERTIES <name> <value>...])
#   odbcpool_gtest(TARGET <gtest executable> LABELS <labels...>
#                  [NEEDS_POSTGRES] [NEEDS_MARIADB] [TEST_PREFIX <prefix>] [EXTRA_ARGS <args...>]
#                  [PROPERTIES <name> <value>...])
#
# What a test sees in its environment:
#   ODBCSYSINI, ODBCINSTINI, ODBCINI  unixODBC reads ${ODBCPOOL_TEST_INI_DIR}/odbcinst.ini,
#                                     odbc.ini (system DSNs) and user-odbc.ini (empty)
#   ODBCPOOL_TEST_INI_DIR             that directory (it also holds test.sqlite)
# and with NEEDS_POSTGRES also:
#   ODBCPOOL_TEST_PG_PORT             the server's port on 127.0.0.1
#   ODBCPOOL_TEST_PG_DATADIR          its data directory, and
#   ODBCPOOL_TEST_PG_SERVER           the script that controls it; a test that stops or
#                                     restarts the server ("$ODBCPOOL_TEST_PG_SERVER" start
#                                     "$ODBCPOOL_TEST_PG_DATADIR" "$ODBCPOOL_TEST_PG_PORT")
#                                     should also set PROPERTIES RESOURCE_LOCK postgres.
# and with NEEDS_MARIADB also:
#   ODBCPOOL_TEST_MARIADB_PORT        the MariaDB server's port on 127.0.0.1
#   ODBCPOOL_TEST_MARIADB_DIR         its directory (datadir, socket, log), and
#   ODBCPOOL_TEST_MARIADB_SERVER      the script that controls it (like the PostgreSQL one;
#                                     a test that stops it sets RESOURCE_LOCK mariadb).
# DSNs (see write-test-ini): sqlite_direct, sqlite_pooled, pg_unicode_direct,
# pg_unicode_pooled, pg_ansi_direct, pg_ansi_pooled; role odbcpool, password
# odbcpool-secret, database odbcpool_test; mariadb_direct, mariadb_pooled
# (user odbcpool, password odbcpool-secret, database odbcpool_test; a second
# user odbcpool2, password odbcpool2-secret, reaches only odbcpool_test);
# pgbouncer_{session,transaction}_{direct,pooled} (tests/pgbouncer, which
# starts the PgBouncers on ODBCPOOL_TEST_PGBOUNCER_PORT and the next port).

set(ODBCPOOL_TEST_INI_DIR ${CMAKE_BINARY_DIR}/test-odbc CACHE INTERNAL "")
set(ODBCPOOL_TEST_PG_PORT 54329 CACHE STRING
    "Port of the throwaway PostgreSQL server the tests start on 127.0.0.1")
set(ODBCPOOL_TEST_PG_DATADIR ${CMAKE_BINARY_DIR}/pgdata)
set(ODBCPOOL_TEST_MARIADB_PORT 33069 CACHE STRING
    "Port of the throwaway MariaDB server the tests start on 127.0.0.1")
set(ODBCPOOL_TEST_MARIADB_DIR ${CMAKE_BINARY_DIR}/mariadb)
set(ODBCPOOL_TEST_PGBOUNCER_PORT 64391 CACHE STRING
    "Port of the session-mode PgBouncer tests/pgbouncer starts on 127.0.0.1 (transaction mode: the next)")
set(ODBCPOOL_TEST_SUPPORT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(ODBCPOOL_TEST_PG_SERVER ${ODBCPOOL_TEST_SUPPORT_DIR}/postgres-server)
set(ODBCPOOL_TEST_MARIADB_SERVER ${ODBCPOOL_TEST_SUPPORT_DIR}/mariadb-server)

# The ENVIRONMENT lists, for anyone who registers tests by other means.
set(ODBCPOOL_TEST_ENVIRONMENT
  "ODBCSYSINI=${ODBCPOOL_TEST_INI_DIR}"
  "ODBCINSTINI=odbcinst.ini"
  "ODBCINI=${ODBCPOOL_TEST_INI_DIR}/user-odbc.ini"
  "ODBCPOOL_TEST_INI_DIR=${ODBCPOOL_TEST_INI_DIR}")
set(ODBCPOOL_TEST_PG_ENVIRONMENT ${ODBCPOOL_TEST_ENVIRONMENT}
  "ODBCPOOL_TEST_PG_PORT=${ODBCPOOL_TEST_PG_PORT}"
  "ODBCPOOL_TEST_PG_DATADIR=${ODBCPOOL_TEST_PG_DATADIR}"
  "ODBCPOOL_TEST_PG_SERVER=${ODBCPOOL_TEST_PG_SERVER}")
set(ODBCPOOL_TEST_MARIADB_ENVIRONMENT
  "ODBCPOOL_TEST_MARIADB_PORT=${ODBCPOOL_TEST_MARIADB_PORT}"
  "ODBCPOOL_TEST_MARIADB_DIR=${ODBCPOOL_TEST_MARIADB_DIR}"
  "ODBCPOOL_TEST_MARIADB_SERVER=${ODBCPOOL_TEST_MARIADB_SERVER}")

# Scripts run through bash so that a lost executable bit does not matter.
find_program(ODBCPOOL_BASH bash REQUIRED)

# Fixture odbc_ini: the ini files, rewritten at the start of every ctest run
# so that they always name this tree's libodbcpool.so.
add_test(NAME odbcpool_write_test_ini
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_SUPPORT_DIR}/write-test-ini
          ${ODBCPOOL_TEST_INI_DIR} $<TARGET_FILE:odbcpool> ${ODBCPOOL_TEST_PG_PORT}
          ${ODBCPOOL_TEST_MARIADB_PORT})
set_tests_properties(odbcpool_write_test_ini PROPERTIES
  FIXTURES_SETUP odbc_ini
  ENVIRONMENT "ODBCPOOL_TEST_PGBOUNCER_PORT=${ODBCPOOL_TEST_PGBOUNCER_PORT}"
  LABELS fixture
  TIMEOUT 60)

# Fixture postgres: the server is started once before the first test that
# needs it and stopped after the last one.
add_test(NAME odbcpool_postgres_start
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_PG_SERVER} start
          ${ODBCPOOL_TEST_PG_DATADIR} ${ODBCPOOL_TEST_PG_PORT})
set_tests_properties(odbcpool_postgres_start PROPERTIES
  FIXTURES_SETUP postgres
  LABELS fixture
  TIMEOUT 180)
add_test(NAME odbcpool_postgres_stop
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_PG_SERVER} stop ${ODBCPOOL_TEST_PG_DATADIR})
set_tests_properties(odbcpool_postgres_stop PROPERTIES
  FIXTURES_CLEANUP postgres
  LABELS fixture
  TIMEOUT 120)

# Fixture mariadb: the same for the MariaDB server.
add_test(NAME odbcpool_mariadb_start
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_MARIADB_SERVER} start
          ${ODBCPOOL_TEST_MARIADB_DIR} ${ODBCPOOL_TEST_MARIADB_PORT})
set_tests_properties(odbcpool_mariadb_start PROPERTIES
  FIXTURES_SETUP mariadb
  LABELS fixture
  TIMEOUT 180)
add_test(NAME odbcpool_mariadb_stop
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_MARIADB_SERVER} stop ${ODBCPOOL_TEST_MARIADB_DIR})
set_tests_properties(odbcpool_mariadb_stop PROPERTIES
  FIXTURES_CLEANUP mariadb
  LABELS fixture
  TIMEOUT 120)

# Sources must be clang-formatted (ctest -L style).
add_test(NAME odbcpool_clang_format
  COMMAND ${ODBCPOOL_BASH} ${ODBCPOOL_TEST_SUPPORT_DIR}/check-format ${PROJECT_SOURCE_DIR})
set_tests_properties(odbcpool_clang_format PROPERTIES LABELS style TIMEOUT 300)

# Sets ENVIRONMENT, FIXTURES_REQUIRED into <out_prefix>_ENVIRONMENT and
# <out_prefix>_FIXTURES for a test that does or does not need PostgreSQL
# and/or MariaDB.
macro(_odbcpool_test_needs out_prefix needs_postgres needs_mariadb)
  if(${needs_postgres})
    set(${out_prefix}_ENVIRONMENT ${ODBCPOOL_TEST_PG_ENVIRONMENT})
    set(${out_prefix}_FIXTURES odbc_ini postgres)
  else()
    set(${out_prefix}_ENVIRONMENT ${ODBCPOOL_TEST_ENVIRONMENT})
    set(${out_prefix}_FIXTURES odbc_ini)
  endif()
  if(${needs_mariadb})
    list(APPEND ${out_prefix}_ENVIRONMENT ${ODBCPOOL_TEST_MARIADB_ENVIRONMENT})
    list(APPEND ${out_prefix}_FIXTURES mariadb)
  endif()
endmacro()

function(odbcpool_add_test)
  cmake_parse_arguments(T "NEEDS_POSTGRES;NEEDS_MARIADB" "NAME" "COMMAND;LABELS;PROPERTIES" ${ARGN})
  if(NOT T_NAME OR NOT T_COMMAND)
    message(FATAL_ERROR "odbcpool_add_test: NAME and COMMAND are required")
  endif()
  _odbcpool_test_needs(T ${T_NEEDS_POSTGRES} ${T_NEEDS_MARIADB})
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    ENVIRONMENT "${T_ENVIRONMENT}"
    FIXTURES_REQUIRED "${T_FIXTURES}"
    ${T_PROPERTIES})
endfunction()

# gtest_discover_tests mangles list-valued PROPERTIES (an ENVIRONMENT of
# several variables ends up split into separate arguments), so the lists are
# applied by a small script that ctest includes right after the discovered
# tests. DISCOVERY_MODE PRE_TEST lists the tests when ctest runs, not when
# the binary is linked, so a binary that needs the environment to start, or
# a sanitizer runtime, cannot break the build.
function(odbcpool_gtest)
  cmake_parse_arguments(G "NEEDS_POSTGRES;NEEDS_MARIADB" "TARGET;TEST_PREFIX" "LABELS;EXTRA_ARGS;PROPERTIES" ${ARGN})
  if(NOT G_TARGET)
    message(FATAL_ERROR "odbcpool_gtest: TARGET is required")
  endif()
  _odbcpool_test_needs(G ${G_NEEDS_POSTGRES} ${G_NEEDS_MARIADB})
  set(test_list ${G_TARGET}_TESTS)
  set(extra)
  if(G_EXTRA_ARGS)
    list(APPEND extra EXTRA_ARGS ${G_EXTRA_ARGS})
  endif()
  if(G_PROPERTIES)
    list(APPEND extra PROPERTIES ${G_PROPERTIES})
  endif()
  gtest_discover_tests(${G_TARGET}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    TEST_PREFIX "${G_TEST_PREFIX}"
    TEST_LIST ${test_list}
    ${extra})

  set(script ${CMAKE_CURRENT_BINARY_DIR}/${G_TARGET}_environment.cmake)
  file(WRITE ${script}
    "if(${test_list})\n"
    "  set_tests_properties(\${${test_list}} PROPERTIES\n"
    "    LABELS [==[${G_LABELS}]==]\n"
    "    ENVIRONMENT [==[${G_ENVIRONMENT}]==]\n"
    "    FIXTURES_REQUIRED [==[${G_FIXTURES}]==])\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
endfunction()
