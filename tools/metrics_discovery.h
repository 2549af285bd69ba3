// Where running processes write their metrics: the MetricsFile settings of
// odbcinst.ini [odbcpool] and of every DSN in odbc.ini, with %p (the process
// id) matched as a glob. A MetricsFile given only in an application's
// connection string cannot be found this way; name the file instead.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ini_reader.h"

namespace odbcpool::cli {

struct MetricsPattern {
  std::string pattern;  // as configured, e.g. /run/app/odbcpool-%p.prom
  std::string where;    // "odbcinst.ini [odbcpool]" or "odbc.ini [orders]"
};

struct MetricsFileRef {
  std::string path;
  std::optional<long> pid;  // from the %p position of the pattern it matched
};

// The DSN names within two edits (ignoring case) of `name`, nearest first:
// for "did you mean" after a mistyped DSN.
std::vector<std::string> similar_dsn_names(const std::string& name);

// Distinct patterns, [odbcpool] first, then DSNs in file order.
std::vector<MetricsPattern> configured_metrics_patterns(IniReader& ini);

// The existing files a pattern stands for (sorted; never the temporary files
// a writer renames into place).
std::vector<MetricsFileRef> files_matching(const std::string& pattern);

// The metrics files in a directory (a textfile collector's): every *.prom
// file in it, sorted, with its pid where a pattern names one.
std::vector<MetricsFileRef> files_in_directory(const std::string& directory,
                                               const std::vector<MetricsPattern>& patterns);

// The pid in a path, when it matches one of the patterns.
std::optional<long> pid_in_path(const std::string& path,
                                const std::vector<MetricsPattern>& patterns);

// Whether a process with this id exists (it may belong to another user).
bool process_exists(long pid);

}  // namespace odbcpool::cli
