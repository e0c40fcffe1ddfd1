#pragma once
// A small RAII layer over SQLite: one Database per connection, prepared Statements,
// Transactions that roll back unless committed. Every failure throws StoreError with
// the SQL and SQLite's own message; callers at a boundary turn it into an error value.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lodestone::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }  // SQLite's extended result code
  // What went wrong in words a client may see ("database or disk is full"): what() names
  // the statement, which belongs in the server's log only.
  std::string reason() const;

 private:
  int code_;
};

// What a client may be told about a failure: a store error's reason without its SQL,
// any other exception's message. The server logs what() in full.
std::string client_reason(const std::exception& e);

class Statement;

class Database {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with foreign keys on
  // and a busy timeout, so concurrent readers and the writer wait instead of failing.
  static Database open(const std::filesystem::path& path, int busy_timeout_ms = 5000);
  // Another connection to the same store under the same size cap (max_page_count is per
  // connection): a store capped to refuse writes must refuse them on every connection.
  Database open_another();

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  void exec(std::string_view sql);  // one or more statements, no results
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Binding returns *this so calls chain.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::span<const std::uint8_t> blob);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances; true while a row is available. Throws on error.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::vector<std::uint8_t> blob(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  [[noreturn]] void fail(int code, const char* what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction (writers queue up front instead of deadlocking on
// upgrade); ROLLBACK on destruction unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace lodestone::store
