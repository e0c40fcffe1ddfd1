#pragma once
// Schema migrations: numbered SQL files (migrations/NNNN_name.sql) applied in order,
// each in its own transaction, recorded with a checksum of its text. A database whose
// applied migration no longer matches its file, or that is newer than this program,
// is refused with a message that says which.
#include "store/database.h"

#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::store {

struct Migration {
  int version = 0;
  std::string name;  // e.g. "initial"
  std::string sql;
};

struct MigrationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct MigrationReport {
  int version_before = 0;
  int version_after = 0;
  std::vector<int> applied;
};

// The migrations compiled into this program from migrations/.
std::vector<Migration> bundled_migrations();
// Migrations read from a folder of NNNN_name.sql files, sorted by version.
std::vector<Migration> load_migrations(const std::filesystem::path& folder);

std::string migration_checksum(const Migration& migration);

// Brings the database up to the newest of `migrations`. Throws MigrationError when the
// database cannot be used by this program; StoreError when a migration's SQL fails
// (that migration is rolled back, earlier ones stay).
MigrationReport apply_migrations(Database& db, std::span<const Migration> migrations);

int schema_version(Database& db);

}  // namespace lodestone::store
