#include "store/database.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

namespace lodestone::store {
namespace {

using lodestone::testing::TempDir;

std::int64_t count_rows(Database& db, const std::string& table) {
  auto q = db.prepare("SELECT COUNT(*) FROM " + table);
  q.step();
  return q.int64(0);
}

TEST(Database, OpensInWalModeWithForeignKeysOn) {
  TempDir dir;
  auto db = Database::open(dir / "a.db");
  auto mode = db.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
  auto fk = db.prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.step());
  EXPECT_EQ(fk.int64(0), 1);
}

TEST(Database, AFailedTransactionLeavesNothingBehind) {
  TempDir dir;
  auto db = Database::open(dir / "a.db");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  try {
    Transaction tx(db);
    db.prepare("INSERT INTO t (v) VALUES (?)").bind(1, "first").run();
    db.prepare("INSERT INTO t (v) VALUES (NULL)").run();  // violates NOT NULL
    tx.commit();
    FAIL() << "the constraint violation was not reported";
  } catch (const StoreError&) {
  }
  EXPECT_EQ(count_rows(db, "t"), 0);
  // The connection is usable again afterwards.
  Transaction tx(db);
  db.prepare("INSERT INTO t (v) VALUES (?)").bind(1, "second").run();
  tx.commit();
  EXPECT_EQ(count_rows(db, "t"), 1);
}

TEST(Database, ErrorsNameTheSqlAndSqlitesReason) {
  TempDir dir;
  auto db = Database::open(dir / "a.db");
  try {
    db.prepare("SELECT * FROM no_such_table");
    FAIL();
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("SELECT * FROM no_such_table"), std::string::npos) << what;
    EXPECT_NE(what.find("no such table"), std::string::npos) << what;
  }
}

TEST(Database, ForeignKeysAreEnforced) {
  TempDir dir;
  auto db = Database::open(dir / "a.db");
  db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id))");
  EXPECT_THROW(db.prepare("INSERT INTO c VALUES (5)").run(), StoreError);
}

TEST(Database, BlobsAndNullsRoundTrip) {
  TempDir dir;
  auto db = Database::open(dir / "a.db");
  db.exec("CREATE TABLE b (data BLOB, note TEXT)");
  const std::vector<std::uint8_t> bytes{0, 1, 2, 255};
  db.prepare("INSERT INTO b VALUES (?, ?)").bind_blob(1, bytes).bind_null(2).run();
  auto q = db.prepare("SELECT data, note FROM b");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.blob(0), bytes);
  EXPECT_TRUE(q.is_null(1));
}

}  // namespace
}  // namespace lodestone::store
