// ODBCINSTGetProperties: one property per odbcpool key of the catalogue, after
// the Name, Description and Driver properties odbcinst makes itself, so that
// unixODBC's configuration tools can build an odbcpool DSN.
#pragma once

#include <odbcinstext.h>

namespace odbcpool::setup {

// Appends to the end of the list. Every block is malloc'ed, and each
// aPromptData is a single block holding its strings too, because
// ODBCINSTDestructProperties frees it with one free() and odbcinst unloads
// this library before the caller reads the properties.
int append_properties(HODBCINSTPROPERTY list);

}  // namespace odbcpool::setup
