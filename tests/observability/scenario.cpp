#include "scenario.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace observability {

namespace fs = std::filesystem;

namespace {

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run through ctest (ctest -L observability)");
  }
  return value;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// The fixture's odbcinst.ini with `keys` added to its [odbcpool] section.
std::string driver_ini(const std::string& fixture, const std::vector<std::string>& keys) {
  std::istringstream in(fixture);
  std::string line;
  std::string text;
  bool added = false;
  while (std::getline(in, line)) {
    text += line + "\n";
    if (!added && line == "[odbcpool]") {
      for (const auto& k : keys) text += k + "\n";
      added = true;
    }
  }
  if (!added) throw std::runtime_error("the fixture's odbcinst.ini has no [odbcpool] section");
  return text;
}

}  // namespace

std::string RunResult::describe() const {
  std::string text = "pid " + std::to_string(pid) + ": ";
  text += exited ? "exited with " + std::to_string(status)
                 : "killed by signal " + std::to_string(status);
  return text + "\n--- stdout ---\n" + stdout_text + "--- stderr ---\n" + stderr_text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool file_exists(const std::string& path) {
  return fs::exists(path);
}

std::vector<std::string> grep(const std::string& text, const std::string& needle) {
  std::vector<std::string> found;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

Scenario::Scenario(const std::string& name, const std::vector<std::string>& driver_keys,
                   const std::string& dsn_sections) {
  // One directory per scenario, replaced by the next run: the last run's
  // output stays there to read.
  dir_ = std::string(OBSERVABILITY_WORK_DIR) + "/" + name;
  ini_ = dir_ + "/ini";
  out_ = dir_ + "/out";
  fs::remove_all(dir_);
  fs::create_directories(ini_);
  fs::create_directories(out_);
  const std::string fixture = required_env("ODBCPOOL_TEST_INI_DIR");
  std::vector<std::string> keys;
  for (const auto& k : driver_keys) keys.push_back(replace_all(k, "@OUT@", out_));
  write_file(ini_ + "/odbcinst.ini", driver_ini(read_file(fixture + "/odbcinst.ini"), keys));
  write_file(ini_ + "/odbc.ini",
             read_file(fixture + "/odbc.ini") + "\n" + replace_all(dsn_sections, "@OUT@", out_));
  write_file(ini_ + "/user-odbc.ini", "");
}

RunResult Scenario::run(const std::string& workload) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("ODBCSYSINI=", 0) == 0 || entry.rfind("ODBCINSTINI=", 0) == 0 ||
        entry.rfind("ODBCINI=", 0) == 0) {
      continue;
    }
    env_strings.push_back(entry);
  }
  env_strings.push_back("ODBCSYSINI=" + ini_);
  env_strings.push_back("ODBCINSTINI=odbcinst.ini");
  env_strings.push_back("ODBCINI=" + ini_ + "/user-odbc.ini");
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::string program = OBSERVABILITY_WORKLOAD;
  std::string name = workload;
  std::string out = out_;
  std::vector<char*> argv = {program.data(), name.data(), out.data(), nullptr};

  const std::string stdout_path = out_ + "/stdout.txt";
  const std::string stderr_path = out_ + "/stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  RunResult result;
  const int rc =
      posix_spawn(&result.pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn " + program + ": " + std::strerror(rc));

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(result.pid, &status, WNOHANG);
    if (done == result.pid) break;
    if (done < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(result.pid, SIGKILL);
      ::waitpid(result.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.exited = WIFEXITED(status);
  result.status = result.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  result.stdout_text = read_file(stdout_path);
  result.stderr_text = read_file(stderr_path);
  return result;
}

std::map<std::string, std::string> Scenario::facts() const {
  std::map<std::string, std::string> facts;
  std::istringstream in(read_file(out_ + "/facts.txt"));
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) facts[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return facts;
}

std::map<std::string, std::string> Scenario::outputs() const {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(out_)) {
    if (entry.is_regular_file()) files[entry.path().string()] = read_file(entry.path().string());
  }
  return files;
}

std::vector<std::string> Scenario::lines_containing(const std::string& needle) const {
  std::vector<std::string> found;
  for (const auto& [path, text] : outputs()) {
    for (const auto& line : grep(text, needle)) found.push_back(path + ": " + line);
  }
  return found;
}

}  // namespace observability
