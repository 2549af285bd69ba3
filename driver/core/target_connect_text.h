// The connection string a target's SQLDriverConnect[W] gets: whole, or
// refused with an error naming the limit (issue 10). Kept apart from
// target_connect.cpp so the fuzzers can check it without a target driver.
#pragma once

#include <cstddef>
#include <string>

#include "connection_string.h"

namespace odbcpool {

// The most bytes (as UTF-8) of a connection string a wide connect hands to
// the target. SQLDriverConnectW's length is a SQLSMALLINT, and drivers that
// convert the text (psqlODBC's SQLDriverConnectW) carry the converted length
// in one too: anything longer comes out negative or cut there. An ANSI
// connect passes SQL_NTS and has no such limit.
inline constexpr std::size_t kMaxWideConnectString = 32767;

// The target connection string as SQLDriverConnect[W] will get it, whole:
// NUL-terminated and passed with SQL_NTS. Throws OdbcError HY000 naming the
// key or the limit when it cannot get there whole: a NUL in a key or value
// (the target would stop reading there), or a wide connect longer than
// kMaxWideConnectString.
std::string target_connect_text(const ConnectionString& target, bool wide);

}  // namespace odbcpool
