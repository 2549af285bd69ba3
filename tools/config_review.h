// What is wrong or suspicious in a resolved configuration: every value that
// would fail a connect (checked with the same parse_settings() a connect
// runs, one key at a time so that all of them are reported), unknown Pool*
// keys with the key they probably meant, and the Driver Manager's own
// pooling being on.
#pragma once

#include <string>
#include <vector>

#include "connect_config.h"
#include "ini_reader.h"

namespace odbcpool::cli {

struct ConfigReview {
  std::vector<std::string> errors;  // each names the key, the value, what is accepted, the source
  std::vector<std::string> warnings;
};

ConfigReview review_config(const ConnectConfig& config, IniReader& ini);

// The documented key closest to a misspelt one, or "" when none is close.
std::string closest_key(const std::string& key);

}  // namespace odbcpool::cli
