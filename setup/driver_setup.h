// ConfigDriver: odbcinst registers and removes the driver itself, so those
// requests need nothing from us; ODBC_CONFIG_DRIVER sets process-wide
// odbcpool keys in odbcinst.ini [odbcpool], checked as a connect would. The
// driver name is not used: the driver reads its process-wide settings from
// [odbcpool] whatever name it is registered under.
#pragma once

#include <odbcinst.h>

#include <string>

namespace odbcpool::setup {

// Returns the message for the caller's lpszMsg. Throws SetupError.
std::string configure_driver(WORD request, const char* arguments);

}  // namespace odbcpool::setup
