#include "store/migrations.h"

#include "lodestone/hash.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

namespace lodestone::store {
namespace {

void ensure_bookkeeping(Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))");
}

struct Applied {
  std::string name;
  std::string checksum;
};

std::map<int, Applied> applied_migrations(Database& db) {
  std::map<int, Applied> applied;
  auto query = db.prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  while (query.step()) {
    applied[static_cast<int>(query.int64(0))] = {query.text(1), query.text(2)};
  }
  return applied;
}

}  // namespace

std::string migration_checksum(const Migration& migration) {
  return to_hex(hash64(migration.sql));
}

std::vector<Migration> load_migrations(const std::filesystem::path& folder) {
  std::vector<Migration> migrations;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    int version = 0;
    const auto [end, ec] = std::from_chars(file.data(), file.data() + file.size(), version);
    if (ec != std::errc() || *end != '_' || version <= 0) {
      throw MigrationError("migration file " + entry.path().string() +
                           " is not named NNNN_name.sql");
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw MigrationError("cannot read migration file " + entry.path().string());
    const auto stem = entry.path().stem().string();
    migrations.push_back({version, stem.substr(stem.find('_') + 1), text.str()});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      throw MigrationError("two migrations share version " + std::to_string(migrations[i].version));
    }
  }
  return migrations;
}

int schema_version(Database& db) {
  ensure_bookkeeping(db);
  auto query = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  query.step();
  return static_cast<int>(query.int64(0));
}

MigrationReport apply_migrations(Database& db, std::span<const Migration> migrations) {
  ensure_bookkeeping(db);
  const auto applied = applied_migrations(db);
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;

  MigrationReport report;
  report.version_before = applied.empty() ? 0 : applied.rbegin()->first;
  if (report.version_before > newest_known) {
    throw MigrationError("database " + db.path().string() + " is at schema version " +
                         std::to_string(report.version_before) + " (migration '" +
                         applied.rbegin()->second.name + "'), newer than this program's " +
                         std::to_string(newest_known) + "; use a newer Lodestone");
  }
  for (const auto& migration : migrations) {
    const auto it = applied.find(migration.version);
    if (it == applied.end()) continue;
    if (it->second.checksum != migration_checksum(migration)) {
      throw MigrationError("migration " + std::to_string(migration.version) + " ('" +
                           migration.name + "') was applied to " + db.path().string() +
                           " with checksum " + it->second.checksum + ", but its file now has " +
                           migration_checksum(migration) + ": an applied migration was edited");
    }
  }
  for (const auto& migration : migrations) {
    if (applied.contains(migration.version)) continue;
    Transaction tx(db);
    try {
      db.exec(migration.sql);
    } catch (const StoreError& e) {
      throw StoreError(e.code(), "migration " + std::to_string(migration.version) + " ('" +
                                     migration.name + "') failed: " + e.what());
    }
    db.prepare("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)")
        .bind(1, migration.version)
        .bind(2, migration.name)
        .bind(3, migration_checksum(migration))
        .run();
    tx.commit();
    report.applied.push_back(migration.version);
  }
  report.version_after = std::max(report.version_before, newest_known);
  return report;
}

}  // namespace lodestone::store
