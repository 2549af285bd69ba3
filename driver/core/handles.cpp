#include "handles.h"

#include "connection_string.h"

#include <array>
#include <functional>
#include <unordered_map>

#include "errors.h"

namespace odbcpool {

namespace {

// Sharded so that threads allocating statements on different connections
// rarely meet on one lock.
class Shards {
 public:
  static constexpr std::size_t kCount = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<const void*, Handle*> handles;
  };
  Shard& for_pointer(const void* p) {
    return shards_[(reinterpret_cast<std::uintptr_t>(p) >> 4) % kCount];
  }
  std::array<Shard, kCount>& all() { return shards_; }

 private:
  std::array<Shard, kCount> shards_;
};

// Leaked on purpose: handles may be looked up from atexit handlers and
// static destructors of other libraries after ours would have run.
Shards& shards() {
  static auto* s = new Shards();
  return *s;
}

}  // namespace

Handle::Handle(HandleKind kind) : kind_(kind) {}
Handle::~Handle() = default;

void HandleRegistry::add(Handle* handle) {
  auto& shard = shards().for_pointer(handle);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.handles.emplace(handle, handle);
}

void HandleRegistry::remove(Handle* handle) {
  auto& shard = shards().for_pointer(handle);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.handles.erase(handle);
}

// The slabs' allocation locks come after the shards: a handle is placed in
// its slab before its constructor registers it.
void HandleRegistry::lock_all_for_fork() noexcept {
  for (auto& shard : shards().all()) shard.mutex.lock();
  slab_of<Environment>().lock();
  slab_of<Connection>().lock();
  slab_of<Statement>().lock();
  slab_of<Descriptor>().lock();
}

void HandleRegistry::unlock_all_after_fork() noexcept {
  slab_of<Descriptor>().unlock();
  slab_of<Statement>().unlock();
  slab_of<Connection>().unlock();
  slab_of<Environment>().unlock();
  auto& all = shards().all();
  for (auto it = all.rbegin(); it != all.rend(); ++it) it->mutex.unlock();
}

Handle* HandleRegistry::find(const void* pointer, HandleKind kind) {
  if (pointer == nullptr) return nullptr;
  auto& shard = shards().for_pointer(pointer);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.handles.find(pointer);
  if (it == shard.handles.end() || it->second->kind() != kind) return nullptr;
  return it->second;
}

// ---- Environment

Environment::Environment() : Handle(kKind) {
  HandleRegistry::add(this);
}
Environment::~Environment() {
  HandleRegistry::remove(this);
}

void Environment::attach(Connection* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.insert(c);
}

void Environment::detach(Connection* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.erase(c);
}

std::vector<Connection*> Environment::connections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {connections_.begin(), connections_.end()};
}

// ---- Connection

Connection::Connection(Environment& env) : Handle(kKind), env_(env) {
  HandleRegistry::add(this);
}
Connection::~Connection() {
  HandleRegistry::remove(this);
}

TargetHandle Connection::target_handle() const {
  if (!session_) return {};
  auto& t = session_->target();
  return {&t.fn(), SQL_HANDLE_DBC, t.dbc()};
}

Session& Connection::session() {
  if (!session_) throw OdbcError("08003", "Connection not open");
  return *session_;
}

void Connection::set_dsn_names(std::string target_dsn, std::string application_dsn) {
  std::lock_guard<std::mutex> lock(mutex_);
  target_dsn_ = std::move(target_dsn);
  application_dsn_ = std::move(application_dsn);
}

std::string Connection::as_seen_by_application(const std::string& server_name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!target_dsn_.empty() && !application_dsn_.empty() && iequals(server_name, target_dsn_)) {
    return application_dsn_;
  }
  return server_name;
}

void Connection::note_wide_call() noexcept {
  if (session_) session_->note_wide_call();
}

void Connection::attach_session(std::unique_ptr<Session> session) {
  session_ = std::move(session);
}

std::unique_ptr<Session> Connection::detach_session() {
  return std::move(session_);
}

void Connection::remember_pending(ConnectionAttribute attribute) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& a : pending_) {
    if (a.attribute == attribute.attribute) {
      a = std::move(attribute);
      return;
    }
  }
  pending_.push_back(std::move(attribute));
}

std::vector<ConnectionAttribute> Connection::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_;
}

const ConnectionAttribute* Connection::find_pending(SQLINTEGER attribute) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& a : pending_) {
    if (a.attribute == attribute) return &a;
  }
  return nullptr;
}

void Connection::attach(Statement* s) {
  std::lock_guard<std::mutex> lock(mutex_);
  statements_.insert(s);
}

void Connection::detach(Statement* s) {
  std::lock_guard<std::mutex> lock(mutex_);
  statements_.erase(s);
}

void Connection::attach(Descriptor* d) {
  std::lock_guard<std::mutex> lock(mutex_);
  descriptors_.emplace(d->target(), d);
}

void Connection::detach(Descriptor* d) {
  std::lock_guard<std::mutex> lock(mutex_);
  descriptors_.erase(d->target());
}

Descriptor* Connection::explicit_descriptor_for(SQLHDESC target) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = descriptors_.find(target);
  return it == descriptors_.end() ? nullptr : it->second;
}

void Connection::free_children(bool tell_target) noexcept {
  std::set<Statement*> statements;
  std::map<SQLHDESC, Descriptor*> descriptors;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    statements.swap(statements_);
    descriptors.swap(descriptors_);
  }
  for (Statement* s : statements) {
    if (tell_target) s->free_target();
    delete s;
  }
  for (auto& [target, d] : descriptors) {
    if (tell_target) d->fn().SQLFreeHandle(SQL_HANDLE_DESC, target);
    delete d;
  }
}

// ---- Statement

Statement::Statement(Connection& connection, SQLHSTMT target)
    : Handle(kKind), connection_(connection), fn_(&connection.fn()), target_(target) {
  HandleRegistry::add(this);
}

Statement::~Statement() {
  HandleRegistry::remove(this);
}

Descriptor* Statement::descriptor_for(SQLHDESC target) {
  if (target == SQL_NULL_HDESC) return nullptr;
  if (Descriptor* d = connection_.explicit_descriptor_for(target)) return d;
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = implicit_[target];
  if (!slot) slot = std::make_unique<Descriptor>(connection_, target, true);
  return slot.get();
}

void Statement::free_target() noexcept {
  if (target_ != SQL_NULL_HSTMT) fn_->SQLFreeHandle(SQL_HANDLE_STMT, target_);
  target_ = SQL_NULL_HSTMT;
}

// ---- Descriptor

Descriptor::Descriptor(Connection& connection, SQLHDESC target, bool implicit)
    : Handle(kKind),
      connection_(connection),
      fn_(&connection.fn()),
      target_(target),
      implicit_(implicit) {
  HandleRegistry::add(this);
}

Descriptor::~Descriptor() {
  HandleRegistry::remove(this);
}

}  // namespace odbcpool
