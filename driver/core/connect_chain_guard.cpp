// Apart from connect_chain.cpp because it logs: the setup library links the
// configuration code and must not need spdlog.
#include "connect_chain.h"
#include "errors.h"
#include "logging.h"

namespace odbcpool {

namespace {

// The connects this thread is inside, outermost first. Each config belongs
// to the connect_logical frame that holds the guard, so it outlives it.
thread_local std::vector<const ConnectConfig*> t_chain;

bool same_link(const ConnectConfig& a, const ConnectConfig& b) {
  if (!a.dsn.empty() || !b.dsn.empty()) return iequals(a.dsn, b.dsn);
  if (a.target_library != b.target_library) return false;
  const auto& x = a.target_string.entries();
  const auto& y = b.target_string.entries();
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!iequals(x[i].key, y[i].key) || x[i].value != y[i].value) return false;
  }
  return true;
}

}  // namespace

ConnectChainGuard::ConnectChainGuard(const ConnectConfig& config) {
  for (std::size_t i = 0; i < t_chain.size(); ++i) {
    if (!same_link(*t_chain[i], config)) continue;
    std::vector<ChainLink> chain;
    for (std::size_t j = i; j < t_chain.size(); ++j) {
      chain.push_back(chain_link(*t_chain[j], system_ini()));
    }
    try {
      throw_chain_loop(chain, chain_link(config, system_ini()).name, "found at run time");
    } catch (const OdbcError& e) {
      log()->warn("connect refused: {}", e.what());
      throw;
    }
  }
  t_chain.push_back(&config);
}

ConnectChainGuard::~ConnectChainGuard() {
  t_chain.pop_back();
}

}  // namespace odbcpool
