// One run of observability_workload in a process of its own, with a
// private unixODBC ini directory (the log is set up once per process from
// odbcinst.ini, so every log setting needs a fresh process):
//
//   <work>/<name>/ini/  odbcinst.ini (the fixture's, plus the given
//                       [odbcpool] keys), odbc.ini (the fixture's DSNs,
//                       plus the given sections), user-odbc.ini
//   <work>/<name>/out/  everything the run writes: the log, metrics files
//                       and snapshots, facts.txt, stdout, stderr
//
// Nothing in out/ may ever contain a password; ini/ does, on purpose.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace observability {

// The fixture's password, and one the scenarios use as a wrong one.
inline constexpr const char* kPassword = "odbcpool-secret";
inline constexpr const char* kWrongPassword = "wrong-pw-8c1e77";

struct RunResult {
  pid_t pid = 0;
  bool exited = false;  // normally, not by a signal or timeout
  int status = -1;
  std::string stdout_text;
  std::string stderr_text;
  std::string describe() const;
};

class Scenario {
 public:
  // `driver_keys` go into odbcinst.ini [odbcpool]; `dsn_sections` are whole
  // "[name]\nkey = value\n..." sections appended to odbc.ini. "@OUT@" in
  // either becomes the out/ directory.
  Scenario(const std::string& name, const std::vector<std::string>& driver_keys,
           const std::string& dsn_sections);

  const std::string& out() const { return out_; }
  std::string out_file(const std::string& name) const { return out_ + "/" + name; }

  // Runs `observability_workload <workload> <out>`, waiting at most 180 s.
  RunResult run(const std::string& workload);

  // key=value lines the workload wrote to out/facts.txt.
  std::map<std::string, std::string> facts() const;

  // Every file under out/ with its content.
  std::map<std::string, std::string> outputs() const;
  // "file:line: text" for every line of out/ that contains `needle`.
  std::vector<std::string> lines_containing(const std::string& needle) const;

 private:
  std::string dir_;
  std::string ini_;
  std::string out_;
};

std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
// Lines of `text` that contain `needle`.
std::vector<std::string> grep(const std::string& text, const std::string& needle);

}  // namespace observability
