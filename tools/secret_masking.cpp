#include "secret_masking.h"

namespace odbcpool::cli {

bool is_secret_key(std::string_view key) {
  const std::string lower = to_lower(key);
  return lower.find("pwd") != std::string::npos || lower.find("password") != std::string::npos;
}

std::string shown_value(std::string_view key, const std::string& value) {
  return is_secret_key(key) ? kMask : value;
}

std::string masked_text(const ConnectionString& connection_string) {
  ConnectionString masked;
  for (const auto& e : connection_string.entries()) masked.set(e.key, shown_value(e.key, e.value));
  return masked.to_string();
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + std::string(kMask).size())) {
      text.replace(at, secret.size(), kMask);
    }
  }
  return text;
}

}  // namespace odbcpool::cli
