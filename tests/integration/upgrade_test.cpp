// Upgrades: a database made at the first migration and filled with data opens with this
// program (which applies every later migration) with nothing lost, and the room serves
// its annotations; a database from a newer program is refused, untouched.
#include "room_fixture.h"

#include "store/migrations.h"

#include <vector>

namespace lodestone {
namespace {

// Every row of every table, each value quoted, for the columns the table has now.
std::map<std::string, std::string> dump(const std::filesystem::path& database,
                                        const std::map<std::string, std::vector<std::string>>& columns) {
  auto db = store::Database::open(database);
  std::map<std::string, std::string> out;
  for (const auto& [table, names] : columns) {
    std::string select = "SELECT ''";
    for (const auto& c : names) select += " || quote(" + c + ") || ','";
    auto q = db.prepare(select + " FROM " + table + " ORDER BY rowid");
    while (q.step()) out[table] += q.text(0) + "\n";
  }
  return out;
}

std::map<std::string, std::vector<std::string>> table_columns(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  std::map<std::string, std::vector<std::string>> columns;
  auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                           " AND name != 'schema_migrations'");
  while (tables.step()) {
    auto info = db.prepare("SELECT name FROM pragma_table_info(?)");
    info.bind(1, tables.text(0));
    while (info.step()) columns[tables.text(0)].push_back(info.text(0));
  }
  return columns;
}

// The schema of migration 0001, filled as a server of that schema would have: a dataset
// with ground truth, its label set, users, tokens, spheres, annotations, the audit log.
void make_first_schema_database(const std::filesystem::path& database) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database.string() + suffix);
  auto db = store::Database::open(database);
  const auto all = store::load_migrations(LODESTONE_MIGRATIONS_DIR);
  ASSERT_GE(all.size(), 2u);
  store::apply_migrations(db, std::span(all).first(1));
  ASSERT_EQ(store::schema_version(db), 1);
  db.exec(R"(
    INSERT INTO datasets (id, name, source_kind, source_path, content_hash, item_count, width, height, channels)
      VALUES (1, 'old', 'idx', '/data/old.idx', 'hash-of-old', 300, 8, 8, 1);
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
      INSERT INTO items (id, dataset_id, ordinal, source, pixels) SELECT i + 1, 1, i, i, randomblob(64) FROM n;
    INSERT INTO ground_truth (item_id, class_name) SELECT id, CASE WHEN ordinal % 2 = 0 THEN 'even' ELSE 'odd' END FROM items;
    INSERT INTO label_sets (id, dataset_id, name) VALUES (1, 1, 'default');
    INSERT INTO classes (id, label_set_id, name, color, position) VALUES (1, 1, 'even', 16711680, 0), (2, 1, 'odd', 255, 1);
    INSERT INTO users (id, name, color) VALUES (1, 'ada', 65280), (2, 'bob', 255);
    INSERT INTO tokens (id, user_id, role, token_hash) VALUES (1, 1, 'annotator', 'aa11'), (2, 2, 'viewer', 'bb22');
    INSERT INTO tokens (id, user_id, role, token_hash, revoked_at) VALUES (3, 2, 'annotator', 'cc33', '2026-01-01T00:00:00Z');
    INSERT INTO spheres (id, dataset_id, owner_id, center_x, center_y, center_z, radius, class_id)
      VALUES (1, 1, 1, 0.1, 1.2, -0.3, 0.4, 1), (2, 1, 2, -0.5, 1.0, 0.2, 0.2, 2);
    INSERT INTO audit_log (id, actor_id, action, detail) VALUES (1, 1, 'label.assign', 'sphere 1, 40 items');
    INSERT INTO annotations (item_id, class_id, annotator_id, sphere_id)
      SELECT id, CASE WHEN ordinal % 2 = 0 THEN 1 ELSE 2 END, 1, 1 FROM items WHERE ordinal < 40;
    INSERT INTO annotations (item_id, class_id, annotator_id, sphere_id, supersedes_id)
      SELECT item_id, 2, 2, 2, id FROM annotations WHERE item_id <= 5;
  )");
}

TEST(Upgrade, AFirstMigrationDatabaseOpensWithNothingLostAndIsServed) {
  testing::ServerProcess server(16, 8);
  make_first_schema_database(server.database());
  const auto columns = table_columns(server.database());
  const auto before = dump(server.database(), columns);
  ASSERT_GT(before.at("annotations").size(), 0u);

  const auto listed = testing::run_command(server.server({"datasets"}));
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("old"), std::string::npos) << listed.out;
  {
    auto db = store::Database::open(server.database());
    EXPECT_EQ(store::schema_version(db), static_cast<int>(store::bundled_migrations().back().version));
  }
  // Every row of the old schema, column for column (new columns come on top).
  EXPECT_EQ(dump(server.database(), columns), before);
  EXPECT_EQ(testing::integrity(server.database()), "ok");

  // And the newest room serves the old annotations: 40 items, the first five relabelled.
  const auto lead = server.make_token("lea", "lead");
  server.start();
  auto lea = testing::join_room(server.port(), lead, "lea");
  ASSERT_EQ(lea->scene().labels.size(), 40u);
  const auto& classes = lea->scene().label_set.classes;
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(lea->scene().labels.at(0), 2);  // item ordinal 0: superseded by bob's 'odd'
  EXPECT_EQ(lea->scene().labels.at(6), 1);  // item ordinal 6: ada's 'even'
  EXPECT_EQ(lea->scene().spheres.size(), 2u);
  EXPECT_EQ(server.terminate(), 0);
}

TEST(Upgrade, ADatabaseFromANewerProgramIsRefusedAndLeftUntouched) {
  testing::ServerProcess server(16, 8);
  {
    auto db = store::Database::open(server.database());
    db.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')");
  }
  const auto columns = table_columns(server.database());
  const auto before = dump(server.database(), columns);
  for (const std::vector<std::string>& command : {std::vector<std::string>{"datasets"},
                                                  std::vector<std::string>{"serve", "--port", "0"}}) {
    auto argv = server.server(command);
    std::string line;
    for (const auto& a : argv) line += "'" + a + "' ";
    const auto result = testing::run_command({"/bin/sh", "-c", line + "2>&1"});
    EXPECT_EQ(result.exit_code, 1) << result.out;
    EXPECT_NE(result.out.find("schema version 9999"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("newer than this program"), std::string::npos) << result.out;
  }
  EXPECT_EQ(dump(server.database(), columns), before);
}

}  // namespace
}  // namespace lodestone
