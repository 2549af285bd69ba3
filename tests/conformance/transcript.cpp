#include "transcript.h"

#include <algorithm>

namespace conformance {

void Transcript::Add(std::string_view line) {
  std::string out(line);
  for (size_t pos = 0; (pos = out.find(side_token_, pos)) != std::string::npos;) {
    out.replace(pos, side_token_.size(), "_<side>");
    pos += 7;
  }
  lines_.push_back(std::move(out));
}

std::string Diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t n = a.size();
  const size_t m = b.size();
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  struct Op {
    char kind;
    const std::string* text;
  };
  std::vector<Op> ops;
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({' ', &a[i++]});
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      ops.push_back({'+', &b[j++]});
    } else {
      ops.push_back({'-', &a[i++]});
    }
  }
  constexpr size_t kContext = 3;
  std::string out = "--- direct\n+++ pooled\n";
  size_t last_printed = 0;
  bool printed_any = false;
  for (size_t k = 0; k < ops.size(); ++k) {
    bool near_change = false;
    for (size_t d = (k >= kContext ? k - kContext : 0); d <= std::min(ops.size() - 1, k + kContext);
         ++d) {
      near_change = near_change || ops[d].kind != ' ';
    }
    if (!near_change) continue;
    if (printed_any && k > last_printed + 1) out += "...\n";
    out += ops[k].kind;
    out += ' ';
    out += *ops[k].text;
    out += '\n';
    last_printed = k;
    printed_any = true;
  }
  return out;
}

}  // namespace conformance
