// A reader of the Prometheus text exposition format (version 0.0.4): the
// samples of a metrics file, each with its labels and the line it is on.
// Anything that is not a comment, a blank line or a well-formed sample is
// an error naming the line, so that a truncated or foreign file is seen.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace odbcpool::cli {

struct MetricSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped values
  double value = 0;
  std::size_t line = 0;  // 1-based

  // The value of a label, or nullptr.
  const std::string* label(const std::string& label_name) const;
};

class MetricsFormatError : public std::runtime_error {
 public:
  MetricsFormatError(std::size_t line, const std::string& message)
      : std::runtime_error(message), line_(line) {}
  std::size_t line() const { return line_; }

 private:
  std::size_t line_;
};

// Throws MetricsFormatError.
std::vector<MetricSample> parse_prometheus_text(const std::string& text);

}  // namespace odbcpool::cli
