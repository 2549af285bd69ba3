// The setup entry points unixODBC's libodbcinst resolves by name
// (ODBCINSTConstructProperties, SQLConfigDataSource, SQLConfigDriver): thin
// extern "C" functions that run the setup code, turn any failure into an
// installer error and never let an exception out.
#include <odbcinstext.h>

#include <new>
#include <string>

#include "attributes.h"
#include "diag_record.h"
#include "driver_setup.h"
#include "dsn_setup.h"
#include "properties.h"
#include "setup_error.h"
#include "unicode.h"

#define ODBCPOOL_SETUP_EXPORT extern "C" __attribute__((visibility("default")))

namespace odbcpool::setup {
namespace {

// odbcinst.h has BOOL but not its values.
constexpr BOOL kTrue = 1;
constexpr BOOL kFalse = 0;

void post(DWORD code, const std::string& message) {
  SQLPostInstallerError(code, (std::string(kMessagePrefix) + message).c_str());
}

// libodbcinst empties its error list on every call but SQLInstallerError and
// SQLPostInstallerError. SQLConfigDataSource has done so already; for a
// caller that loads this library directly a harmless call does it, so that
// the errors it reads are this request's.
void clear_installer_errors() {
  UWORD mode;
  SQLGetConfigMode(&mode);
}

// Posting comes last, after every other libodbcinst call of the request.
template <class Body>
BOOL run(Body&& body) {
  try {
    clear_installer_errors();
    body();
    return kTrue;
  } catch (const SetupError& e) {
    post(e.code(),
         e.wrote_something() ? e.what() : std::string(e.what()) + "; nothing was written");
  } catch (const std::bad_alloc&) {
    post(ODBC_ERROR_OUT_OF_MEM, "out of memory");
  } catch (const std::exception& e) {
    post(ODBC_ERROR_GENERAL_ERR, e.what());
  } catch (...) {
    post(ODBC_ERROR_GENERAL_ERR, "unexpected failure");
  }
  return kFalse;
}

const char* or_null(const SQLWCHAR* wide, const std::string& narrow) {
  return wide == nullptr ? nullptr : narrow.c_str();
}

void set_out_length(WORD* out, std::size_t length) {
  if (out != nullptr) *out = static_cast<WORD>(length > 0xFFFF ? 0xFFFF : length);
}

void copy_message(const std::string& message, LPSTR out, WORD capacity, WORD* length) {
  set_out_length(length, message.size());
  if (out == nullptr || capacity == 0) return;
  const std::size_t n = utf8_prefix_fitting(message, capacity - 1u);
  message.copy(out, n);
  out[n] = '\0';
}

void copy_message(const std::string& message, LPWSTR out, WORD capacity, WORD* length) {
  const WideString wide = to_utf16(message);
  set_out_length(length, wide.size());
  if (out == nullptr || capacity == 0) return;
  const std::size_t n = utf16_prefix_fitting(wide, capacity - 1u);
  wide.copy(reinterpret_cast<char16_t*>(out), n);
  out[n] = 0;
}

// `arguments()` gives the narrow argument list.
template <class Char, class Arguments>
BOOL config_driver(WORD request, Arguments&& arguments, Char* message, WORD capacity,
                   WORD* length) {
  // SQLConfigDriver reports *length whatever happens, so it is always set.
  set_out_length(length, 0);
  if (message != nullptr && capacity > 0) message[0] = 0;
  return run(
      [&] { copy_message(configure_driver(request, arguments()), message, capacity, length); });
}

}  // namespace
}  // namespace odbcpool::setup

using odbcpool::setup::or_null;
using odbcpool::setup::run;
using odbcpool::setup::wide_list_to_utf8;
using odbcpool::setup::wide_to_utf8;

ODBCPOOL_SETUP_EXPORT int INSTAPI ODBCINSTGetProperties(HODBCINSTPROPERTY last) {
  try {
    return odbcpool::setup::append_properties(last);
  } catch (...) {
    return ODBCINST_ERROR;
  }
}

ODBCPOOL_SETUP_EXPORT BOOL INSTAPI ConfigDSN(HWND window, WORD request, LPCSTR driver,
                                             LPCSTR attributes) {
  return run(
      [&] { odbcpool::setup::configure_dsn(request, driver, attributes, window != nullptr); });
}

ODBCPOOL_SETUP_EXPORT BOOL INSTAPI ConfigDSNW(HWND window, WORD request, LPCWSTR driver,
                                              LPCWSTR attributes) {
  return run([&] {
    const std::string narrow_driver = wide_to_utf8(driver);
    const std::string narrow_attributes = wide_list_to_utf8(attributes);
    odbcpool::setup::configure_dsn(request, or_null(driver, narrow_driver),
                                   or_null(attributes, narrow_attributes), window != nullptr);
  });
}

ODBCPOOL_SETUP_EXPORT BOOL INSTAPI ConfigDriver(HWND, WORD request, LPCSTR, LPCSTR arguments,
                                                LPSTR message, WORD capacity, WORD* length) {
  return odbcpool::setup::config_driver(
      request, [&] { return arguments; }, message, capacity, length);
}

ODBCPOOL_SETUP_EXPORT BOOL INSTAPI ConfigDriverW(HWND, WORD request, LPCWSTR, LPCWSTR arguments,
                                                 LPWSTR message, WORD capacity, WORD* length) {
  std::string narrow;
  return odbcpool::setup::config_driver(
      request,
      [&] {
        narrow = wide_list_to_utf8(arguments);
        return or_null(arguments, narrow);
      },
      message, capacity, length);
}
