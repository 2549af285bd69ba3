#include "prometheus_text.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace odbcpool::cli {

namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

bool is_name_char(char c) {
  return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// One line, consumed left to right.
class LineReader {
 public:
  LineReader(const std::string& line, std::size_t number) : text_(line), number_(number) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw MetricsFormatError(number_, message);
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_blanks() {
    while (!at_end() && is_blank(text_[pos_])) ++pos_;
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  std::string name(bool allow_colon, const std::string& what) {
    const std::size_t start = pos_;
    if (at_end() || !is_name_start(text_[pos_]) || (!allow_colon && text_[pos_] == ':')) {
      fail("expected " + what + found());
    }
    while (!at_end() && is_name_char(text_[pos_]) && (allow_colon || text_[pos_] != ':')) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string quoted() {
    if (!accept('"')) fail("expected '\"' to open a label value" + found());
    std::string value;
    for (;;) {
      if (at_end()) fail("label value not closed by '\"'");
      const char c = text_[pos_++];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (at_end()) fail("label value not closed by '\"'");
      const char escaped = text_[pos_++];
      if (escaped == 'n') {
        value += '\n';
      } else if (escaped == '\\' || escaped == '"') {
        value += escaped;
      } else {
        fail(std::string("unknown escape '\\") + escaped + "' in a label value");
      }
    }
  }

  std::string word() {
    const std::size_t start = pos_;
    while (!at_end() && !is_blank(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string found() const {
    if (at_end()) return ", found the end of the line";
    return std::string(", found '") + text_[pos_] + "'";
  }

 private:
  const std::string& text_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

double parse_value(const std::string& text, LineReader& reader) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  // strtod also takes "inf", "nan" and hexadecimal; the format does not.
  const bool plain = text.find_first_not_of("0123456789+-.eE") == std::string::npos;
  if (text.empty() || end != begin + text.size() || !plain || errno == ERANGE) {
    reader.fail("'" + text + "' is not a sample value (a number, NaN, +Inf or -Inf)");
  }
  return value;
}

void check_timestamp(const std::string& text, LineReader& reader) {
  std::size_t digits_from = text.size() > 1 && text[0] == '-' ? 1 : 0;
  if (text.size() == digits_from ||
      text.find_first_not_of("0123456789", digits_from) != std::string::npos) {
    reader.fail("'" + text + "' is not a timestamp (milliseconds since the epoch)");
  }
}

void check_comment(LineReader& reader) {
  reader.skip_blanks();
  const std::string keyword = reader.word();
  if (keyword != "TYPE" && keyword != "HELP") return;  // any other comment
  reader.skip_blanks();
  reader.name(true, "a metric name after # " + keyword);
  if (keyword == "HELP") return;
  reader.skip_blanks();
  const std::string type = reader.word();
  if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
      type != "untyped") {
    reader.fail("'" + type +
                "' is not a metric type (counter, gauge, histogram, summary or untyped)");
  }
}

MetricSample parse_sample(LineReader& reader, std::size_t number) {
  MetricSample sample;
  sample.line = number;
  sample.name = reader.name(true, "a metric name");
  reader.skip_blanks();
  if (reader.accept('{')) {
    reader.skip_blanks();
    while (!reader.accept('}')) {
      std::string label = reader.name(false, "a label name or '}'");
      reader.skip_blanks();
      if (!reader.accept('='))
        reader.fail("expected '=' after label '" + label + "'" + reader.found());
      reader.skip_blanks();
      sample.labels.emplace_back(std::move(label), reader.quoted());
      reader.skip_blanks();
      if (reader.accept('}')) break;
      if (!reader.accept(',')) reader.fail("expected ',' or '}' after a label" + reader.found());
      reader.skip_blanks();
    }
  }
  reader.skip_blanks();
  if (reader.at_end()) reader.fail("sample '" + sample.name + "' has no value");
  sample.value = parse_value(reader.word(), reader);
  reader.skip_blanks();
  if (!reader.at_end()) check_timestamp(reader.word(), reader);
  reader.skip_blanks();
  if (!reader.at_end()) reader.fail("unexpected text after the sample value");
  return sample;
}

}  // namespace

const std::string* MetricSample::label(const std::string& label_name) const {
  for (const auto& [k, v] : labels) {
    if (k == label_name) return &v;
  }
  return nullptr;
}

std::vector<MetricSample> parse_prometheus_text(const std::string& text) {
  std::vector<MetricSample> samples;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    LineReader reader(line, number);
    reader.skip_blanks();
    if (reader.at_end()) continue;
    if (line.find('\0') != std::string::npos) reader.fail("a NUL byte: not a text file");
    if (reader.accept('#')) {
      check_comment(reader);
      continue;
    }
    samples.push_back(parse_sample(reader, number));
  }
  return samples;
}

}  // namespace odbcpool::cli
