#include "targets.h"

namespace conformance {

const std::vector<Target>& AllTargets() {
  static const std::vector<Target> targets = {
      {"sqlite", "s", Dialect::kSqlite, false},
      {"pg_unicode", "u", Dialect::kPostgres, true},
      {"pg_ansi", "a", Dialect::kPostgres, false},
  };
  return targets;
}

std::string TargetName(const testing::TestParamInfo<Target>& info) {
  return info.param.name;
}

}  // namespace conformance
