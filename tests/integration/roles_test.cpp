// Access rules, one test per rule: what each role may not do is refused with Forbidden,
// changes nothing in the store, and is logged by the server; tokens are stored only as
// hashes; a revoked token ends its live session and cannot join again.
#include "room_fixture.h"

#include <fstream>
#include <sstream>

namespace lodestone {
namespace {

using testing::ask;
using testing::count_rows;
using testing::join_room;
using testing::refusal_code;

constexpr IntentKind kEveryIntent[] = {IntentKind::CreateSphere, IntentKind::MoveSphere,
                                      IntentKind::ResizeSphere, IntentKind::DeleteSphere,
                                      IntentKind::AssignClass,  IntentKind::EraseLabels,
                                      IntentKind::Undo};
// Deleting last, so that every change finds the sphere when it is allowed.
constexpr IntentKind kEverySphereChange[] = {IntentKind::MoveSphere, IntentKind::ResizeSphere,
                                            IntentKind::AssignClass, IntentKind::EraseLabels,
                                            IntentKind::DeleteSphere};

class RolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>(600, 8);
    ada_ = server_->make_token("ada", "annotator");
    bob_ = server_->make_token("bob", "annotator");
    vic_ = server_->make_token("vic", "viewer");
    lea_ = server_->make_token("lea", "lead");
    server_->capture_log();
    server_->start();
  }
  void TearDown() override {
    if (HasFailure()) std::fprintf(stderr, "server log:\n%s\n", server_->log().c_str());
  }

  std::unique_ptr<client::RoomClient> join(const std::string& token, const std::string& name) {
    return join_room(server_->port(), token, name);
  }
  // A sphere of ada's, labelled, around item 0.
  SphereId adas_labelled_sphere(client::RoomClient& ada) {
    const auto made = ask(ada, {0, IntentKind::CreateSphere, 0, ada.newest_positions().at(0), 0.5f, kNoClass});
    EXPECT_TRUE(made.accepted()) << made.reason();
    const auto labelled = ask(ada, {0, IntentKind::AssignClass, made.sphere_id, {}, 0,
                                    ada.scene().label_set.classes.at(0).id});
    EXPECT_TRUE(labelled.accepted()) << labelled.reason();
    return made.sphere_id;
  }
  std::string sphere_row(SphereId id) {
    auto db = store::Database::open(server_->database());
    auto q = db.prepare("SELECT center_x, center_y, center_z, radius, class_id, deleted_at IS NULL FROM spheres WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) return "missing";
    std::string row;
    for (int c = 0; c < 6; ++c) row += q.text(c) + ",";
    return row;
  }
  std::int64_t annotations() { return testing::stored_annotations(server_->database()); }

  std::unique_ptr<testing::ServerProcess> server_;
  std::string ada_, bob_, vic_, lea_;
};

TEST_F(RolesTest, EachTokenJoinsWithItsOwnRole) {
  EXPECT_EQ(join(vic_, "vic")->scene().me->role, Role::Viewer);
  EXPECT_EQ(join(ada_, "ada")->scene().me->role, Role::Annotator);
  EXPECT_EQ(join(lea_, "lea")->scene().me->role, Role::Lead);
}

TEST_F(RolesTest, AViewerIsRefusedEveryIntentAndEachRefusalIsLogged) {
  auto ada = join(ada_, "ada");
  const auto sphere = adas_labelled_sphere(*ada);
  const auto before_sphere = sphere_row(sphere);
  const auto before_rows = annotations();
  auto vic = join(vic_, "vic");
  for (auto kind : kEveryIntent) {
    const auto r = ask(*vic, {0, kind, sphere, {0, 1, 0}, 0.2f, vic->scene().label_set.classes.at(1).id});
    EXPECT_FALSE(r.accepted()) << intent_name(kind);
    EXPECT_EQ(refusal_code(r), RefusalCode::Forbidden) << intent_name(kind);
    EXPECT_NE(server_->log().find(std::string("refused vic's ") + intent_name(kind) + ": viewers cannot"),
              std::string::npos)
        << "not logged: " << intent_name(kind);
  }
  EXPECT_EQ(sphere_row(sphere), before_sphere);
  EXPECT_EQ(annotations(), before_rows);
}

TEST_F(RolesTest, AnAnnotatorIsRefusedEveryChangeToAnothersSphereAndEachRefusalIsLogged) {
  auto ada = join(ada_, "ada");
  const auto sphere = adas_labelled_sphere(*ada);
  const auto before_sphere = sphere_row(sphere);
  const auto before_rows = annotations();
  auto bob = join(bob_, "bob");
  for (auto kind : kEverySphereChange) {
    const auto r = ask(*bob, {0, kind, sphere, {0, 1, 0}, 0.2f, bob->scene().label_set.classes.at(1).id});
    EXPECT_FALSE(r.accepted()) << intent_name(kind);
    EXPECT_EQ(refusal_code(r), RefusalCode::Forbidden) << intent_name(kind);
    EXPECT_NE(server_->log().find(std::string("refused bob's ") + intent_name(kind) +
                                  ": annotators may change only their own spheres"),
              std::string::npos)
        << "not logged: " << intent_name(kind);
  }
  EXPECT_EQ(sphere_row(sphere), before_sphere);
  EXPECT_EQ(annotations(), before_rows);
}

TEST_F(RolesTest, AnAnnotatorsUndoNeverReachesAnothersWork) {
  auto ada = join(ada_, "ada");
  adas_labelled_sphere(*ada);
  const auto before_rows = annotations();
  auto bob = join(bob_, "bob");
  const auto r = ask(*bob, {0, IntentKind::Undo, 0, {}, 0, kNoClass});
  EXPECT_FALSE(r.accepted());
  EXPECT_EQ(refusal_code(r), RefusalCode::NotFound);
  EXPECT_NE(server_->log().find("refused bob's undo"), std::string::npos);
  EXPECT_EQ(annotations(), before_rows);
}

TEST_F(RolesTest, ALeadMayChangeAnyonesSphere) {
  auto ada = join(ada_, "ada");
  const auto sphere = adas_labelled_sphere(*ada);
  auto lea = join(lea_, "lea");
  for (auto kind : kEverySphereChange) {
    const auto r = ask(*lea, {0, kind, sphere, {0, 1, 0}, 0.4f, lea->scene().label_set.classes.at(1).id});
    EXPECT_TRUE(r.accepted()) << intent_name(kind) << ": " << r.reason();
  }
}

TEST_F(RolesTest, TokensAreStoredOnlyAsHashes) {
  {
    auto db = store::Database::open(server_->database());
    auto q = db.prepare("SELECT token_hash FROM tokens");
    int rows = 0;
    while (q.step()) {
      ++rows;
      for (const auto& plain : {ada_, bob_, vic_, lea_}) EXPECT_EQ(q.text(0).find(plain), std::string::npos);
    }
    EXPECT_EQ(rows, 4);
  }
  // Nowhere in the data directory's files either (database, journal, logs).
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server_->data_dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream read;
    read << in.rdbuf();
    const std::string bytes = read.str();
    for (const auto& plain : {ada_, bob_, vic_, lea_}) {
      EXPECT_EQ(bytes.find(plain), std::string::npos) << "a plain token is in " << entry.path();
    }
  }
}

TEST_F(RolesTest, ARevokedTokenEndsItsSessionAndCannotJoinAgain) {
  auto bob = join(bob_, "bob");
  const auto keep_bob = [&] { bob->poll(0); };
  const auto id = testing::token_id_of(*server_, "bob", keep_bob);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(testing::run_command(server_->server({"token", "revoke", id}), keep_bob).exit_code, 0);
  ASSERT_TRUE(bob->poll_until([&] { return bob->state() != client::ConnectionState::Joined; }, testing::kWaitMs));
  ASSERT_TRUE(bob->refusal());
  EXPECT_EQ(bob->refusal()->code, RefusalCode::RevokedToken);

  client::RoomClient again({"127.0.0.1", server_->port(), bob_, "bob again"});
  ASSERT_TRUE(again.connect());
  again.poll_until([&] { return again.state() == client::ConnectionState::Refused; }, testing::kWaitMs);
  ASSERT_TRUE(again.refusal());
  EXPECT_EQ(again.refusal()->code, RefusalCode::RevokedToken);
  EXPECT_FALSE(again.scene().dataset) << "a revoked token must receive nothing";
}

}  // namespace
}  // namespace lodestone
