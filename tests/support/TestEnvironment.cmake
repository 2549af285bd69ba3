# odbcpool_add_test(NAME <name> COMMAND <cmd...> LABELS <labels...> [NEEDS_POSTGRES])
# Registers a ctest test that sees only the private ini files under
# ${ODBCPOOL_TEST_INI_DIR} (ODBCSYSINI/ODBCINSTINI/ODBCINI), never /etc.
set(ODBCPOOL_TEST_INI_DIR ${CMAKE_BINARY_DIR}/test-odbc CACHE INTERNAL "")

function(odbcpool_add_test)
  cmake_parse_arguments(T "NEEDS_POSTGRES" "NAME" "COMMAND;LABELS" ${ARGN})
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    ENVIRONMENT "ODBCSYSINI=${ODBCPOOL_TEST_INI_DIR};ODBCINSTINI=odbcinst.ini;ODBCINI=${ODBCPOOL_TEST_INI_DIR}/user-odbc.ini")
endfunction()
