// A transcript is everything a case observed, one line per fact. The direct
// and the pooled run of a case must produce identical transcripts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conformance {

class Transcript {
 public:
  // `side_token` ("_direct" or "_pooled") appears in the side's DSN and in
  // every table name it creates; it is rewritten to "_<side>" so that both
  // runs read alike. A token of the *other* side is left alone, so a pooled
  // run that leaks the target DSN name still shows up as a difference.
  explicit Transcript(std::string side_token) : side_token_(std::move(side_token)) {}

  void Add(std::string_view line);
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::string side_token_;
  std::vector<std::string> lines_;
};

// A line diff (longest common subsequence) with a little context, for the
// failure message when the two transcripts differ.
std::string Diff(const std::vector<std::string>& direct, const std::vector<std::string>& pooled);

}  // namespace conformance
