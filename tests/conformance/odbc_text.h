// Text helpers for the conformance suite: return-code names, UTF-8/UTF-16
// conversion for the W calls, and printable renderings of buffers. Written
// independently of the driver's own conversion code on purpose: the suite
// must not share a bug with the code it checks.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>
#include <string_view>

namespace conformance {

using WString = std::basic_string<SQLWCHAR>;

std::string RcName(SQLRETURN rc);

// UTF-8 <-> UTF-16 (SQLWCHAR is 16 bits with unixODBC). Invalid input is
// rendered as U+FFFD rather than rejected: the transcript should show it.
WString ToWide(std::string_view utf8);
std::string FromWide(const SQLWCHAR* text, size_t units);
std::string FromWide(const WString& text);

// Quotes text for a transcript line: printable ASCII as is, everything
// else (control bytes, non-ASCII) escaped so that diffs show the bytes.
std::string Quote(std::string_view bytes);
std::string Hex(const void* data, size_t bytes);

// SQLLEN indicator rendering: SQL_NULL_DATA, SQL_NO_TOTAL or the number.
std::string Indicator(SQLLEN value);

}  // namespace conformance
