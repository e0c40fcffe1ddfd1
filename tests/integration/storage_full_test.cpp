// A store that cannot take more: the server is started with --max-database-mb just above
// the database's size, so SQLite refuses writes with SQLITE_FULL as on a full disk. An
// intent that cannot be stored is refused with a reason, nothing unstored is
// acknowledged, and the room keeps serving reads (joins, snapshots).
#include "room_fixture.h"

namespace lodestone {
namespace {

double database_megabytes(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  auto pages = db.prepare("PRAGMA page_count");
  pages.step();
  auto size = db.prepare("PRAGMA page_size");
  size.step();
  return static_cast<double>(pages.int64(0) * size.int64(0)) / (1024.0 * 1024.0);
}

TEST(StorageFull, AnIntentThatCannotBeStoredIsRefusedAndReadsGoOn) {
  testing::ServerProcess server(1200, 8);
  const auto ada_token = server.make_token("ada", "annotator");
  const auto vic_token = server.make_token("vic", "viewer");
  server.capture_log();
  // Room for a few dozen pages of spheres and annotations, no more.
  const double cap = database_megabytes(server.database()) + 0.1;
  server.start({"--max-database-mb", std::to_string(cap), "--checkpoint-minutes", "0.02",
                "--max-intents-per-second", "1000"});
  auto ada = testing::join_room(server.port(), ada_token, "ada");

  std::int64_t acknowledged = 0;
  std::optional<IntentResult> refusal;
  for (int i = 0; i < 400 && !refusal; ++i) {
    const auto center = ada->newest_positions().at(static_cast<std::size_t>(i * 7) % 1200);
    const auto made = testing::ask(*ada, {0, IntentKind::CreateSphere, 0, center, 1.5f, kNoClass});
    if (!made.accepted) {
      refusal = made;
      break;
    }
    const auto cls = ada->scene().label_set.classes.at(static_cast<std::size_t>(i % 2)).id;
    const auto labelled = testing::ask(*ada, {0, IntentKind::AssignClass, made.sphere_id, {}, 0, cls});
    if (labelled.accepted) {
      acknowledged += labelled.items_affected;
    } else {
      refusal = labelled;
    }
  }
  ASSERT_TRUE(refusal) << "the capped database never filled";
  EXPECT_GT(acknowledged, 0);
  EXPECT_EQ(refusal->refusal, RefusalCode::StorageFailure);
  EXPECT_NE(refusal->reason.find("full"), std::string::npos) << refusal->reason;
  std::printf("store full after %lld acknowledged annotations: \"%s\"\n", static_cast<long long>(acknowledged),
              refusal->reason.c_str());

  // Still refused, still serving.
  const auto again = testing::ask(*ada, {0, IntentKind::CreateSphere, 0, {0, 1, 0}, 1.5f, kNoClass});
  EXPECT_EQ(again.refusal, RefusalCode::StorageFailure);
  auto vic = testing::join_room(server.port(), vic_token, "vic");
  EXPECT_EQ(vic->scene().labels, ada->scene().labels);
  const auto before = ada->snapshots_received();
  ada->poll_until([] { return false; }, 1500);
  EXPECT_GE(ada->snapshots_received() - before, 10u) << "snapshots stopped once the store was full";
  EXPECT_EQ(ada->state(), client::ConnectionState::Joined);

  // Nothing acknowledged is missing, nothing unacknowledged was stored.
  EXPECT_EQ(testing::count_rows(server.database(), "SELECT COUNT(*) FROM annotations"), acknowledged);
  EXPECT_EQ(testing::integrity(server.database()), "ok");
  EXPECT_NE(server.log().find("database or disk is full"), std::string::npos);
  EXPECT_TRUE(server.running());
  if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", server.log().c_str());
}

}  // namespace
}  // namespace lodestone
