#include "target_connect_text.h"

#include "errors.h"
#include "lengths.h"

namespace odbcpool {

std::string target_connect_text(const ConnectionString& target, bool wide) {
  for (const auto& e : target.entries()) {
    const bool in_key = e.key.find('\0') != std::string::npos;
    if (in_key || e.value.find('\0') != std::string::npos) {
      throw OdbcError("HY000", std::string("the ") + (in_key ? "name" : "value") + " of key '" +
                                   shortened(e.key, 128) +
                                   "' holds a NUL character, where the target driver would stop "
                                   "reading the connection string and lose the keys after it");
    }
  }
  std::string text = target.to_string();
  if (wide && text.size() > kMaxWideConnectString) {
    throw OdbcError(
        "HY000", "the target connection string is " + std::to_string(text.size()) +
                     " bytes long; a wide connect (SQLDriverConnectW) takes at most " +
                     std::to_string(kMaxWideConnectString) +
                     " (its length is a SQLSMALLINT, and drivers such as psqlODBC carry the "
                     "converted length in one too): shorten it, or connect with SQLDriverConnect");
  }
  return text;
}

}  // namespace odbcpool
