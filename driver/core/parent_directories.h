// Creates the missing directories above a file, as LogFile's are created
// (spdlog's file sinks: each missing component with mkdir(0755), the
// process's umask applying), so that MetricsFile behaves the same.
#pragma once

#include <string>

namespace odbcpool {

// Returns false, with errno set, when a component could not be created;
// true when they all exist (or the path has no directory part).
bool create_parent_directories(const std::string& file_path);

}  // namespace odbcpool
