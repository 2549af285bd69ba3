// Our ODBC handles. Each wraps the target's handle of the same kind, except
// the environment (one target environment serves the whole process) and a
// connection, whose physical target connection comes and goes with connect
// and disconnect: the application's handle is logical, so the pool can hand
// it any physical connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "handle_slab.h"
#include "odbc.h"
#include "session.h"

namespace odbcpool {

class Connection;
class Statement;
class Descriptor;

enum class HandleKind : std::uint32_t {
  Environment = 0x4F504501,
  Connection = 0x4F504502,
  Statement = 0x4F504503,
  Descriptor = 0x4F504504,
};

class Handle {
 public:
  explicit Handle(HandleKind kind);
  virtual ~Handle();
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  HandleKind kind() const { return kind_; }
  Diagnostics& diag() { return diag_; }
  // Where this handle's forwarded calls leave their records.
  virtual TargetHandle target_handle() const { return {}; }
  // The logical connection this handle works through, if any.
  virtual Connection* owner_connection() { return nullptr; }

 private:
  HandleKind kind_;
  Diagnostics diag_;
};

// Every live handle, so that a stale or foreign pointer is refused with
// SQL_INVALID_HANDLE instead of being dereferenced.
class HandleRegistry {
 public:
  static void add(Handle* handle);
  static void remove(Handle* handle);
  static Handle* find(const void* pointer, HandleKind kind);
  // For process_lifecycle.cpp only: every shard's lock, in index order.
  static void lock_all_for_fork() noexcept;
  static void unlock_all_after_fork() noexcept;
};

// A handle of class T from a pointer an entry point was given. Handles made
// by SQLAllocHandle are checked where they live, with no lock (the hot path
// of every forwarded call); anything else goes through the registry.
template <class T>
T* find_handle(const void* pointer) {
  if (slab_of<T>().is_live(pointer)) return static_cast<T*>(const_cast<void*>(pointer));
  return static_cast<T*>(HandleRegistry::find(pointer, T::kKind));
}

#define ODBCPOOL_HANDLE_STORAGE(T)                \
  static void* operator new(std::size_t size) {   \
    return allocate_handle<T>(size);              \
  }                                               \
  static void operator delete(void* p) noexcept { \
    free_handle<T>(p);                            \
  }

class Environment final : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::Environment;
  Environment();
  ODBCPOOL_HANDLE_STORAGE(Environment)
  ~Environment() override;

  std::atomic<SQLINTEGER> odbc_version{SQL_OV_ODBC3};
  std::atomic<SQLINTEGER> output_nts{SQL_TRUE};
  std::atomic<SQLUINTEGER> connection_pooling{SQL_CP_OFF};
  std::atomic<SQLUINTEGER> cp_match{SQL_CP_STRICT_MATCH};

  void attach(Connection* c);
  void detach(Connection* c);
  std::vector<Connection*> connections() const;

 private:
  mutable std::mutex mutex_;
  std::set<Connection*> connections_;
};

// A connection attribute the application set, kept to be applied to the
// physical connection it gets (set before connect) or to be restored (pool).
struct ConnectionAttribute {
  SQLINTEGER attribute = 0;
  bool is_text = false;
  SQLULEN integer = 0;
  std::string text;  // UTF-8
};

class Connection final : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::Connection;
  explicit Connection(Environment& env);
  ODBCPOOL_HANDLE_STORAGE(Connection)
  ~Connection() override;

  Environment& env() { return env_; }
  TargetHandle target_handle() const override;
  Connection* owner_connection() override { return this; }

  bool connected() const { return session_ != nullptr; }
  // Connected before a fork() this process is the child of: nothing may be
  // sent on the parent's socket (see guarded() in boundary.h).
  bool inherited() const { return session_ != nullptr && session_->inherited(); }
  Session& session();  // throws 08003 when not connected
  const FunctionTable& fn() { return session().target().fn(); }
  SQLHDBC target_dbc() { return session().target().dbc(); }
  void attach_session(std::unique_ptr<Session> session);
  // The DSNs of the last connect: the target's, and the one the application
  // named. Drivers that report their DSN as SQL_DIAG_SERVER_NAME (psqlODBC)
  // name the target's; the application must see its own.
  void set_dsn_names(std::string target_dsn, std::string application_dsn);
  std::string as_seen_by_application(const std::string& server_name) const;
  // For the wide connection-level entry points (see Session::note_wide_call).
  void note_wide_call() noexcept;
  std::unique_ptr<Session> detach_session();

  // Attributes set while not connected.
  void remember_pending(ConnectionAttribute attribute);
  std::vector<ConnectionAttribute> pending() const;
  const ConnectionAttribute* find_pending(SQLINTEGER attribute) const;

  // Child handles, freed on disconnect.
  void attach(Statement* s);
  void detach(Statement* s);
  void attach(Descriptor* d);
  void detach(Descriptor* d);
  Descriptor* explicit_descriptor_for(SQLHDESC target) const;
  // Frees every statement and explicit descriptor (on our side and, unless
  // the connection was inherited across fork(), the target's): what
  // SQLDisconnect must do before the connection is reused.
  void free_children(bool tell_target) noexcept;

  // SQLBrowseConnect holds a target connection across calls until done.
  std::unique_ptr<TargetConnection> browsing;

 private:
  Environment& env_;
  std::unique_ptr<Session> session_;
  mutable std::mutex mutex_;
  std::vector<ConnectionAttribute> pending_;
  std::string target_dsn_;
  std::string application_dsn_;
  std::set<Statement*> statements_;
  std::map<SQLHDESC, Descriptor*> descriptors_;
};

class Statement final : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::Statement;
  Statement(Connection& connection, SQLHSTMT target);
  ODBCPOOL_HANDLE_STORAGE(Statement)
  ~Statement() override;

  Connection& connection() { return connection_; }
  const FunctionTable& fn() const { return *fn_; }
  SQLHSTMT target() const { return target_; }
  TargetHandle target_handle() const override { return {fn_, SQL_HANDLE_STMT, target_}; }
  Connection* owner_connection() override { return &connection_; }

  // Our handle for a descriptor the target returned for this statement: an
  // explicitly allocated one of the connection, or one of the statement's
  // implicit descriptors (wrapped on first sight).
  Descriptor* descriptor_for(SQLHDESC target);
  // Frees the target statement; the object is then only fit for deletion.
  void free_target() noexcept;

 private:
  Connection& connection_;
  const FunctionTable* fn_;
  SQLHSTMT target_;
  std::mutex mutex_;
  std::map<SQLHDESC, std::unique_ptr<Descriptor>> implicit_;
};

class Descriptor final : public Handle {
 public:
  static constexpr HandleKind kKind = HandleKind::Descriptor;
  Descriptor(Connection& connection, SQLHDESC target, bool implicit);
  ODBCPOOL_HANDLE_STORAGE(Descriptor)
  ~Descriptor() override;

  Connection& connection() { return connection_; }
  const FunctionTable& fn() const { return *fn_; }
  SQLHDESC target() const { return target_; }
  bool implicit() const { return implicit_; }
  TargetHandle target_handle() const override { return {fn_, SQL_HANDLE_DESC, target_}; }
  Connection* owner_connection() override { return &connection_; }

 private:
  Connection& connection_;
  const FunctionTable* fn_;
  SQLHDESC target_;
  bool implicit_;
};

}  // namespace odbcpool
