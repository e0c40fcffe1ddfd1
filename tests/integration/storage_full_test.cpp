// A store that cannot take more: the server is started with --max-database-mb just above
// the database's size, so SQLite refuses writes with SQLITE_FULL as on a full disk. An
// intent that cannot be stored is refused with a reason, nothing unstored is
// acknowledged, and the room keeps serving reads (joins, snapshots).
#include "room_fixture.h"

#include <cstdlib>
#include <unistd.h>

namespace lodestone {
namespace {

using testing::refusal_code;

double database_megabytes(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  auto pages = db.prepare("PRAGMA page_count");
  pages.step();
  auto size = db.prepare("PRAGMA page_size");
  size.step();
  return static_cast<double>(pages.int64(0) * size.int64(0)) / (1024.0 * 1024.0);
}

// Labels with big spheres until an intent is refused; returns the annotations
// acknowledged before that and the refusal.
std::pair<std::int64_t, std::optional<IntentResult>> label_until_refused(client::RoomClient& c) {
  std::int64_t acknowledged = 0;
  for (int i = 0; i < 400; ++i) {
    const auto center = c.newest_positions().at(static_cast<std::size_t>(i * 7) % c.newest_positions().size());
    const auto made = testing::ask(c, {0, IntentKind::CreateSphere, 0, center, 1.5f, kNoClass});
    if (!made.accepted()) return {acknowledged, made};
    const auto cls = c.scene().label_set.classes.at(static_cast<std::size_t>(i % 2)).id;
    const auto labelled = testing::ask(c, {0, IntentKind::AssignClass, made.sphere_id, {}, 0, cls});
    if (!labelled.accepted()) return {acknowledged, labelled};
    acknowledged += labelled.items_affected;
  }
  return {acknowledged, std::nullopt};
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

  const auto [acknowledged, refusal] = label_until_refused(*ada);
  ASSERT_TRUE(refusal) << "the capped database never filled";
  EXPECT_GT(acknowledged, 0);
  EXPECT_EQ(refusal_code(*refusal), RefusalCode::StorageFailure);
  EXPECT_NE(refusal->reason().find("full"), std::string::npos) << refusal->reason();
  EXPECT_EQ(refusal->reason().find("INSERT"), std::string::npos) << "the client was shown the server's SQL";
  std::printf("store full after %lld acknowledged annotations: \"%s\"\n", static_cast<long long>(acknowledged),
              refusal->reason().c_str());

  // Still refused, still serving.
  // (The next label like the refused one; a bare sphere row may still fit a page's free
  // bytes, so the test labels, as the refused intent did.)
  const auto [acknowledged_after, again] = label_until_refused(*ada);
  ASSERT_TRUE(again);
  EXPECT_EQ(acknowledged_after, 0) << "a label was acknowledged on a full store";
  EXPECT_EQ(refusal_code(*again), RefusalCode::StorageFailure);
  auto vic = testing::join_room(server.port(), vic_token, "vic");
  EXPECT_EQ(vic->scene().labels, ada->scene().labels);
  const auto before = ada->snapshots_received();
  ada->poll_until([] { return false; }, testing::scaled_ms(1500));
  EXPECT_GE(ada->snapshots_received() - before, 10u) << "snapshots stopped once the store was full";
  EXPECT_EQ(ada->state(), client::ConnectionState::Joined);

  // Nothing acknowledged is missing, nothing unacknowledged was stored.
  EXPECT_EQ(testing::stored_annotations(server.database()), acknowledged);
  EXPECT_EQ(testing::integrity(server.database()), "ok");
  EXPECT_NE(server.log().find("database or disk is full"), std::string::npos);
  EXPECT_TRUE(testing::alive(server));
  if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", server.log().c_str());
}

// The same on a real full disk: the data directory moved onto a tmpfs with a little room
// to spare. Mounting needs root (CI runs as root); elsewhere the test is skipped.
class TinyFilesystem {
 public:
  TinyFilesystem(testing::ServerProcess& server, std::uintmax_t spare_bytes) : server_(server) {
    namespace fs = std::filesystem;
    const auto dir = server.data_dir();
    const auto aside = fs::path(dir.string() + "-aside");
    fs::rename(dir, aside);
    fs::create_directory(dir);
    std::uintmax_t used = 0;
    for (const auto& e : fs::recursive_directory_iterator(aside)) used += e.is_regular_file() ? e.file_size() : 0;
    const auto kib = (used + spare_bytes) / 1024 + 1;
    const auto mount = "mount -t tmpfs -o size=" + std::to_string(kib) + "k tmpfs '" + dir.string() + "' 2>/dev/null";
    mounted_ = std::system(mount.c_str()) == 0;
    fs::copy(aside, dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    fs::remove_all(aside);
  }
  ~TinyFilesystem() {
    server_.kill_hard();
    if (mounted_) (void)std::system(("umount -l '" + server_.data_dir().string() + "'").c_str());
  }
  bool mounted() const { return mounted_; }

 private:
  testing::ServerProcess& server_;
  bool mounted_ = false;
};

TEST(StorageFull, ADiskThatFillsUpRefusesIntentsAndReadsGoOn) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a tiny filesystem needs root";
  testing::ServerProcess server(1200, 8);
  const auto ada_token = server.make_token("ada", "annotator");
  const auto vic_token = server.make_token("vic", "viewer");
  TinyFilesystem disk(server, 384 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << "tmpfs cannot be mounted here";
  server.capture_log();
  server.start({"--max-intents-per-second", "1000", "--checkpoint-minutes", "0.02"});
  auto ada = testing::join_room(server.port(), ada_token, "ada");

  const auto [acknowledged, refusal] = label_until_refused(*ada);
  ASSERT_TRUE(refusal) << "the tiny filesystem never filled";
  EXPECT_EQ(refusal_code(*refusal), RefusalCode::StorageFailure);
  std::printf("disk full after %lld acknowledged annotations: \"%s\"\n", static_cast<long long>(acknowledged),
              refusal->reason().c_str());
  // A scheduled checkpoint fails on the full disk too: logged, and the room goes on.
  ada->poll_until([&] { return server.log().find("checkpoint not saved") != std::string::npos; },
                 testing::scaled_ms(5000));
  EXPECT_NE(server.log().find("checkpoint not saved"), std::string::npos);
  EXPECT_TRUE(testing::alive(server));

  auto vic = testing::join_room(server.port(), vic_token, "vic");
  EXPECT_EQ(vic->scene().labels, ada->scene().labels);
  const auto before = ada->snapshots_received();
  ada->poll_until([] { return false; }, testing::scaled_ms(1500));
  EXPECT_GE(ada->snapshots_received() - before, 10u) << "snapshots stopped once the disk was full";
  EXPECT_EQ(testing::stored_annotations(server.database()), acknowledged);
  EXPECT_EQ(testing::integrity(server.database()), "ok");
  // Stopping cannot write the final checkpoint: said so, and the exit code says so too.
  EXPECT_EQ(server.terminate(), 1);
  EXPECT_NE(server.log().find("checkpoint not saved"), std::string::npos);
  if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", server.log().c_str());
}

}  // namespace
}  // namespace lodestone
