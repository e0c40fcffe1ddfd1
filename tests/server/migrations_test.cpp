#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

namespace lodestone::store {
namespace {

using lodestone::testing::TempDir;

std::vector<std::string> tables(Database& db) {
  std::vector<std::string> names;
  auto q = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (q.step()) names.push_back(q.text(0));
  return names;
}

TEST(Migrations, BundledCopyMatchesTheMigrationsFolder) {
  const auto bundled = bundled_migrations();
  const auto on_disk = load_migrations(LODESTONE_MIGRATIONS_DIR);
  ASSERT_EQ(bundled.size(), on_disk.size());
  for (std::size_t i = 0; i < bundled.size(); ++i) {
    EXPECT_EQ(bundled[i].version, on_disk[i].version);
    EXPECT_EQ(bundled[i].name, on_disk[i].name);
    EXPECT_EQ(migration_checksum(bundled[i]), migration_checksum(on_disk[i]));
  }
}

TEST(Migrations, FreshDatabaseGetsTheWholeSchema) {
  TempDir dir;
  auto db = Database::open(dir / "fresh.db");
  const auto report = apply_migrations(db, bundled_migrations());
  EXPECT_EQ(report.version_before, 0);
  EXPECT_EQ(report.version_after, bundled_migrations().back().version);
  const auto names = tables(db);
  for (const char* expected : {"annotations", "audit_log", "checkpoints", "classes", "datasets",
                               "ground_truth", "items", "label_sets", "schema_migrations",
                               "spheres", "tokens", "users"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(Migrations, SecondRunIsANoOp) {
  TempDir dir;
  auto db = Database::open(dir / "db");
  apply_migrations(db, bundled_migrations());
  const auto again = apply_migrations(db, bundled_migrations());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.version_before, again.version_after);
}

TEST(Migrations, AppliesOnlyTheNewOnesInOrder) {
  TempDir dir;
  auto db = Database::open(dir / "db");
  std::vector<Migration> list{{1, "one", "CREATE TABLE a (x INTEGER);"}};
  apply_migrations(db, list);
  list.push_back({2, "two", "ALTER TABLE a ADD COLUMN y TEXT;"});
  list.push_back({3, "three", "CREATE TABLE b (z INTEGER);"});
  const auto report = apply_migrations(db, list);
  EXPECT_EQ(report.applied, (std::vector<int>{2, 3}));
  EXPECT_EQ(schema_version(db), 3);
}

TEST(Migrations, EditedAppliedMigrationIsRefusedNamingIt) {
  TempDir dir;
  auto db = Database::open(dir / "db");
  std::vector<Migration> list{{1, "one", "CREATE TABLE a (x INTEGER);"}};
  apply_migrations(db, list);
  list[0].sql = "CREATE TABLE a (x INTEGER, tampered TEXT);";
  try {
    apply_migrations(db, list);
    FAIL() << "tampered migration accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("migration 1 ('one')"), std::string::npos) << e.what();
  }
}

TEST(Migrations, DatabaseNewerThanTheProgramIsRefused) {
  TempDir dir;
  auto db = Database::open(dir / "db");
  apply_migrations(db, std::vector<Migration>{{1, "one", "CREATE TABLE a (x INTEGER);"},
                                              {2, "two", "CREATE TABLE b (x INTEGER);"}});
  try {
    apply_migrations(db, std::vector<Migration>{{1, "one", "CREATE TABLE a (x INTEGER);"}});
    FAIL() << "newer database accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this program"), std::string::npos) << e.what();
  }
}

TEST(Migrations, AFailingMigrationIsRolledBackWhole) {
  TempDir dir;
  auto db = Database::open(dir / "db");
  const std::vector<Migration> list{
      {1, "one", "CREATE TABLE a (x INTEGER);"},
      {2, "broken", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);"}};
  EXPECT_THROW(apply_migrations(db, list), StoreError);
  EXPECT_EQ(schema_version(db), 1);
  const auto names = tables(db);
  EXPECT_EQ(std::find(names.begin(), names.end(), "half"), names.end());
}

}  // namespace
}  // namespace lodestone::store
