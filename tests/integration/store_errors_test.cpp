// A store the room cannot read from: an exception from SQLite while the room serves a
// request costs that request (a refused join, an error answer), never the room. The test
// makes a table the join reads vanish under the running server, the way a damaged or
// tampered store would, then puts it back.
#include "room_fixture.h"

namespace lodestone {
namespace {

void rename_table(const std::filesystem::path& database, const std::string& from, const std::string& to) {
  auto db = store::Database::open(database);
  db.exec("ALTER TABLE " + from + " RENAME TO " + to);
}

TEST(StoreErrors, AReadTheStoreCannotServeCostsThatAnswerNotTheRoom) {
  testing::ServerProcess server(400, 8);
  const auto ada_token = server.make_token("ada", "annotator");
  const auto bob_token = server.make_token("bob", "annotator");
  server.capture_log();
  server.start();
  auto ada = testing::join_room(server.port(), ada_token, "ada");
  const auto made = testing::ask(*ada, {0, IntentKind::CreateSphere, 0, ada->newest_positions().at(0), 0.3f, kNoClass});
  ASSERT_TRUE(made.accepted()) << made.reason();

  rename_table(server.database(), "spheres", "spheres_away");
  client::RoomClient bob({"127.0.0.1", server.port(), bob_token, "bob"});
  ASSERT_TRUE(bob.connect()) << bob.error();
  bob.poll_until([&] { return bob.state() == client::ConnectionState::Refused; }, testing::kWaitMs);
  ASSERT_TRUE(bob.refusal()) << "a join the store cannot serve is refused with a reason";
  EXPECT_EQ(bob.refusal()->code, RefusalCode::StorageFailure);
  EXPECT_NE(bob.refusal()->message.find("cannot read"), std::string::npos) << bob.refusal()->message;

  // The room goes on: the client inside keeps its snapshots.
  const auto before = ada->snapshots_received();
  ada->poll_until([] { return false; }, testing::scaled_ms(1500));
  EXPECT_GE(ada->snapshots_received() - before, 8u) << "snapshots stopped after a failed read";
  EXPECT_EQ(ada->state(), client::ConnectionState::Joined);

  rename_table(server.database(), "spheres_away", "spheres");
  auto again = testing::join_room(server.port(), bob_token, "bob");
  EXPECT_EQ(again->state(), client::ConnectionState::Joined);
  EXPECT_EQ(again->scene().spheres.size(), 1u) << "the join state is whole again";
  EXPECT_EQ(server.terminate(), 0) << "SIGTERM still checkpoints and exits cleanly\n" << server.log();
  EXPECT_NE(server.log().find("a join from"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace lodestone
