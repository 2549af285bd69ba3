// The built libodbcpoolS.so, loaded the way odbcinst loads it, for calling
// the entry points that libodbcinst does not pass on (ConfigDSNW when
// ConfigDSN exists, ConfigDriver for ODBC_CONFIG_DRIVER) and for
// ODBCINSTGetProperties on a list of the test's own.
#pragma once

#include <dlfcn.h>
#include <odbcinstext.h>

#include <gtest/gtest.h>

#include <string>

namespace odbcpool::setup_test {

class SetupLibrary {
 public:
  SetupLibrary() : handle_(dlopen(ODBCPOOL_SETUP_LIBRARY, RTLD_NOW | RTLD_LOCAL)) {
    EXPECT_NE(handle_, nullptr) << dlerror();
  }
  ~SetupLibrary() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  SetupLibrary(const SetupLibrary&) = delete;
  SetupLibrary& operator=(const SetupLibrary&) = delete;

  template <class Function>
  Function* get(const char* name) const {
    void* address = handle_ != nullptr ? dlsym(handle_, name) : nullptr;
    EXPECT_NE(address, nullptr) << name;
    return reinterpret_cast<Function*>(address);
  }

  decltype(&ConfigDSNW) config_dsn_w() const { return get<decltype(ConfigDSNW)>("ConfigDSNW"); }
  decltype(&ConfigDriver) config_driver() const {
    return get<decltype(ConfigDriver)>("ConfigDriver");
  }
  decltype(&ConfigDriverW) config_driver_w() const {
    return get<decltype(ConfigDriverW)>("ConfigDriverW");
  }
  decltype(&ODBCINSTGetProperties) get_properties() const {
    return get<decltype(ODBCINSTGetProperties)>("ODBCINSTGetProperties");
  }

 private:
  void* handle_;
};

}  // namespace odbcpool::setup_test
