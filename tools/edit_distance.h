// How far apart two names are, for "did you mean": the number of single
// character insertions, deletions and substitutions (Levenshtein), ignoring
// case (ODBC key and DSN names are case-insensitive).
#pragma once

#include <cstddef>
#include <string>

namespace odbcpool::cli {

std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace odbcpool::cli
