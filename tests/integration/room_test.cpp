// The room end to end: a real lodestone-server process, real clients (the client core
// the bots and headsets use) and real ENet on loopback.
#include "core/room_client.h"
#include "support/server_process.h"
#include "support/time_scale.h"
#include "net/enet_link.h"
#include "store/database.h"
#include "integration/stored_labels.h"
#include "result_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <set>
#include <random>

namespace lodestone {
namespace {

using client::ConnectionState;
using client::RoomClient;
using testing::ServerProcess;
using testing::refusal_code;

const int kWait = testing::scaled_ms(10000);

class RoomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 1,200 items of 8×8: the thumbnails span two chunks.
    server_ = std::make_unique<ServerProcess>(1200, 8);
    annotator_ = server_->make_token("ada", "annotator");
    other_ = server_->make_token("bob", "annotator");
    viewer_ = server_->make_token("vic", "viewer");
    lead_ = server_->make_token("lea", "lead");
    server_->start();
  }

  std::unique_ptr<RoomClient> join(const std::string& token, const std::string& name = "test") {
    auto c = std::make_unique<RoomClient>(client::ConnectOptions{"127.0.0.1", server_->port(), token, name});
    EXPECT_TRUE(c->connect()) << c->error();
    EXPECT_TRUE(c->poll_until([&] { return c->scene().has_keyframe && !c->scene().label_set.classes.empty(); }, kWait))
        << "no join state: " << c->error();
    return c;
  }

  static IntentResult ask(RoomClient& c, Intent intent) {
    const auto id = c.send_intent(intent);
    std::optional<IntentResult> result;
    EXPECT_TRUE(c.poll_until([&] { return (result = c.result(id)).has_value(); }, kWait));
    return result.value_or(testing::no_intent_answer());
  }

  // Creates a sphere around item 0 holding several items and labels it `class_index`.
  static IntentResult label_around(RoomClient& c, std::size_t item, float radius, std::size_t class_index) {
    const auto center = c.newest_positions().at(item);
    const auto created = ask(c, {0, IntentKind::CreateSphere, 0, center, radius, kNoClass});
    EXPECT_TRUE(created.accepted()) << created.reason();
    const auto cls = c.scene().label_set.classes.at(class_index).id;
    return ask(c, {0, IntentKind::AssignClass, created.sphere_id, {}, 0, cls});
  }

  std::map<std::uint32_t, ClassId> stored_labels() {
    testing::wait_for_label_history(server_->database());
    auto db = store::Database::open(server_->database());
    std::map<std::uint32_t, ClassId> labels;
    auto q = db.prepare(
        "SELECT i.ordinal, a.class_id FROM annotations a JOIN items i ON i.id = a.item_id"
        " WHERE a.id = (SELECT MAX(id) FROM annotations WHERE item_id = a.item_id) AND a.class_id IS NOT NULL");
    while (q.step()) labels[static_cast<std::uint32_t>(q.int64(0))] = q.int64(1);
    return labels;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string annotator_, other_, viewer_, lead_;
};

TEST_F(RoomTest, JoinSyncEqualsServerState) {
  auto ada = join(annotator_, "ada");
  const auto labelled = label_around(*ada, 0, 0.5f, 0);
  ASSERT_TRUE(labelled.accepted()) << labelled.reason();
  ASSERT_GT(labelled.items_affected, 0u);

  auto late = join(lead_, "late");
  ASSERT_TRUE(late->poll_until([&] { return late->scene().labels.size() == labelled.items_affected; }, kWait));
  EXPECT_EQ(late->scene().labels, stored_labels());
  EXPECT_EQ(late->scene().spheres.size(), 1u);
  EXPECT_EQ(late->scene().spheres.begin()->second.class_id, late->scene().label_set.classes[0].id);
  EXPECT_EQ(late->scene().dataset->item_count, 1200u);
  EXPECT_TRUE(late->poll_until([&] {
    return late->scene().thumbnail_bytes_received == late->scene().dataset->thumbnails_bytes;
  }, kWait));
  EXPECT_EQ(late->scene().thumbnails.blob().size(), 1200u * 64u);
  EXPECT_TRUE(late->scene().thumbnails.complete());
}

TEST_F(RoomTest, AClientWithCachedThumbnailsSkipsTheTransfer) {
  auto first = join(annotator_);
  ASSERT_TRUE(first->poll_until([&] {
    return first->scene().thumbnail_bytes_received == first->scene().dataset->thumbnails_bytes;
  }, kWait));
  const auto hash = first->scene().dataset->thumbnails_hash;
  RoomClient cached({"127.0.0.1", server_->port(), other_, "cached", ClientKind::Bot, hash});
  ASSERT_TRUE(cached.connect());
  ASSERT_TRUE(cached.poll_until([&] { return cached.scene().has_keyframe; }, kWait));
  cached.poll(300);
  EXPECT_EQ(cached.scene().thumbnail_bytes_received, 0u);
}

TEST_F(RoomTest, TwoAnnotatorsLabellingOneRegionEndInTheSameState) {
  auto ada = join(annotator_, "ada");
  auto bob = join(other_, "bob");
  const auto center = ada->newest_positions().at(3);
  const auto sa = ask(*ada, {0, IntentKind::CreateSphere, 0, center, 0.6f, kNoClass});
  const auto sb = ask(*bob, {0, IntentKind::CreateSphere, 0, center, 0.6f, kNoClass});
  ASSERT_TRUE(sa.accepted() && sb.accepted());
  // Both label at once, with different classes.
  const auto ia = ada->send_intent({0, IntentKind::AssignClass, sa.sphere_id, {}, 0, ada->scene().label_set.classes[0].id});
  const auto ib = bob->send_intent({0, IntentKind::AssignClass, sb.sphere_id, {}, 0, bob->scene().label_set.classes[1].id});
  ASSERT_TRUE(ada->poll_until([&] { return ada->result(ia).has_value(); }, kWait));
  ASSERT_TRUE(bob->poll_until([&] { return bob->result(ib).has_value(); }, kWait));
  ada->poll(300);
  bob->poll(300);
  const auto stored = stored_labels();
  EXPECT_FALSE(stored.empty());
  EXPECT_EQ(ada->scene().labels, stored);
  EXPECT_EQ(bob->scene().labels, stored);
}

TEST_F(RoomTest, EachRolesForbiddenIntentsAreRefused) {
  auto vic = join(viewer_, "vic");
  const auto by_viewer = ask(*vic, {0, IntentKind::CreateSphere, 0, {0, 1, 0}, 0.3f, kNoClass});
  EXPECT_FALSE(by_viewer.accepted());
  EXPECT_EQ(refusal_code(by_viewer), RefusalCode::Forbidden);

  auto ada = join(annotator_, "ada");
  const auto mine = ask(*ada, {0, IntentKind::CreateSphere, 0, {0, 1, 0}, 0.3f, kNoClass});
  ASSERT_TRUE(mine.accepted());
  auto bob = join(other_, "bob");
  for (auto kind : {IntentKind::MoveSphere, IntentKind::ResizeSphere, IntentKind::DeleteSphere,
                    IntentKind::AssignClass, IntentKind::EraseLabels}) {
    const auto r = ask(*bob, {0, kind, mine.sphere_id, {0, 1, 0}, 0.2f, bob->scene().label_set.classes[0].id});
    EXPECT_FALSE(r.accepted()) << "annotator changed another's sphere, intent " << static_cast<int>(kind);
    EXPECT_EQ(refusal_code(r), RefusalCode::Forbidden);
  }
  const auto by_viewer_on_sphere = ask(*vic, {0, IntentKind::DeleteSphere, mine.sphere_id, {}, 0, kNoClass});
  EXPECT_EQ(refusal_code(by_viewer_on_sphere), RefusalCode::Forbidden);

  auto lea = join(lead_, "lea");
  EXPECT_TRUE(ask(*lea, {0, IntentKind::ResizeSphere, mine.sphere_id, {}, 0.25f, kNoClass}).accepted());
  EXPECT_TRUE(ask(*lea, {0, IntentKind::DeleteSphere, mine.sphere_id, {}, 0, kNoClass}).accepted());
}

TEST_F(RoomTest, UndoRevertsOnlyTheAnnotatorsOwnLastAction) {
  auto ada = join(annotator_, "ada");
  const auto first = label_around(*ada, 0, 0.5f, 0);
  ASSERT_TRUE(first.accepted());
  const auto before = stored_labels();
  const auto second = label_around(*ada, 0, 0.5f, 1);
  ASSERT_TRUE(second.accepted());
  ASSERT_NE(stored_labels(), before);
  const auto undo = ask(*ada, {0, IntentKind::Undo, 0, {}, 0, kNoClass});
  ASSERT_TRUE(undo.accepted()) << undo.reason();
  EXPECT_EQ(stored_labels(), before);
  ada->poll(200);
  EXPECT_EQ(ada->scene().labels, before);
  auto bob = join(other_, "bob");
  EXPECT_EQ(refusal_code(ask(*bob, {0, IntentKind::Undo, 0, {}, 0, kNoClass})), RefusalCode::NotFound);
}

TEST_F(RoomTest, BadTokenIsRefusedWithAReason) {
  RoomClient c({"127.0.0.1", server_->port(), "lds_not_a_token", "intruder"});
  ASSERT_TRUE(c.connect());
  c.poll_until([&] { return c.state() == ConnectionState::Refused; }, kWait);
  ASSERT_TRUE(c.refusal());
  EXPECT_EQ(c.refusal()->code, RefusalCode::BadToken);
  EXPECT_FALSE(c.scene().dataset) << "an unauthenticated peer must receive nothing";
  EXPECT_FALSE(c.has_positions());
}

// A raw ENet peer, for what a real client would never send.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) {
    std::string error;
    host_ = net::create_client_host(error);
    ENetAddress address{};
    enet_address_set_host(&address, "127.0.0.1");
    address.port = port;
    peer_ = enet_host_connect(host_.get(), &address, kChannelCount, 0);
    ENetEvent e;
    connected_ = enet_host_service(host_.get(), &e, 3000) > 0 && e.type == ENET_EVENT_TYPE_CONNECT;
  }
  bool connected() const { return connected_; }
  void send(const Bytes& bytes, Channel channel = kControlChannel) {
    net::send(peer_, channel, bytes);
    enet_host_flush(host_.get());
  }
  // Waits for a Refusal or a disconnect; returns the refusal if one came.
  std::optional<Refusal> wait_for_end(int ms, bool* disconnected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::optional<Refusal> refusal;
    ENetEvent e;
    while (std::chrono::steady_clock::now() < deadline) {
      if (enet_host_service(host_.get(), &e, 20) <= 0) continue;
      if (e.type == ENET_EVENT_TYPE_RECEIVE) {
        auto m = decode_message(std::span(e.packet->data, e.packet->dataLength));
        if (m && std::holds_alternative<Refusal>(*m)) refusal = std::get<Refusal>(*m);
        enet_packet_destroy(e.packet);
      } else if (e.type == ENET_EVENT_TYPE_DISCONNECT) {
        *disconnected = true;
        return refusal;
      }
    }
    return refusal;
  }

 private:
  net::HostPtr host_;
  ENetPeer* peer_ = nullptr;
  bool connected_ = false;
};

TEST_F(RoomTest, OtherProtocolVersionIsRefusedWithBothVersions) {
  RawPeer raw(server_->port());
  ASSERT_TRUE(raw.connected());
  Bytes hello = encode(Hello{kProtocolVersion, ClientKind::Bot, annotator_, "old client", 0});
  hello[4] = static_cast<std::uint8_t>(kProtocolVersion + 1);
  raw.send(hello);
  bool disconnected = false;
  const auto refusal = raw.wait_for_end(kWait, &disconnected);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, RefusalCode::ProtocolVersion);
  EXPECT_NE(refusal->message.find(std::to_string(kProtocolVersion + 1)), std::string::npos) << refusal->message;
  EXPECT_TRUE(disconnected);
}

TEST_F(RoomTest, MessagesOnAChannelTheyDoNotBelongToAreRefused) {
  {
    RawPeer raw(server_->port());
    ASSERT_TRUE(raw.connected());
    raw.send(encode(Hello{kProtocolVersion, ClientKind::Bot, annotator_, "wrong channel", 0}), kSnapshotChannel);
    bool disconnected = false;
    const auto refusal = raw.wait_for_end(kWait, &disconnected);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->code, RefusalCode::Malformed);
    EXPECT_NE(refusal->message.find("channel 1"), std::string::npos) << refusal->message;
  }
  // Signed in, intents on the unreliable presence channel count as malformed packets.
  RawPeer raw(server_->port());
  ASSERT_TRUE(raw.connected());
  raw.send(encode(Hello{kProtocolVersion, ClientKind::Bot, annotator_, "intents unreliably", 0}));
  for (int i = 0; i < 3; ++i) raw.send(encode(Intent{}), kPresenceChannel);
  bool disconnected = false;
  const auto refusal = raw.wait_for_end(kWait, &disconnected);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, RefusalCode::Malformed);
  EXPECT_NE(refusal->message.find("belongs on channel 0"), std::string::npos) << refusal->message;
  EXPECT_TRUE(disconnected);
}

TEST_F(RoomTest, GarbageAndOversizedPacketsDropThePeerNotTheRoom) {
  auto ada = join(annotator_, "ada");
  RawPeer raw(server_->port());
  ASSERT_TRUE(raw.connected());
  std::mt19937 rng(1);
  Bytes garbage(300);
  for (auto& b : garbage) b = static_cast<std::uint8_t>(rng());
  raw.send(garbage);
  raw.send(Bytes(200 * 1024, 0xAB));  // above the server's incoming packet limit
  bool disconnected = false;
  raw.wait_for_end(kWait, &disconnected);
  EXPECT_TRUE(disconnected);

  const auto before = ada->snapshots_received();
  ada->poll_until([] { return false; }, testing::scaled_ms(1000));
  EXPECT_GE(ada->snapshots_received() - before, 7u) << "snapshots to a good client stalled";
  EXPECT_EQ(ada->state(), ConnectionState::Joined);
}

TEST_F(RoomTest, SilentPeerIsDroppedAtTheHelloDeadline) {
  RawPeer raw(server_->port());
  ASSERT_TRUE(raw.connected());
  bool disconnected = false;
  const auto refusal = raw.wait_for_end(9000, &disconnected);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->code, RefusalCode::HelloTimeout);
}

TEST_F(RoomTest, ReconnectingClientIsConsistentAgain) {
  auto ada = join(annotator_, "ada");
  auto bob = join(other_, "bob");
  bob->disconnect();
  ASSERT_TRUE(label_around(*ada, 5, 0.5f, 1).accepted());
  const auto start = std::chrono::steady_clock::now();
  auto again = join(other_, "bob");
  ASSERT_TRUE(again->poll_until([&] { return again->scene().labels == stored_labels(); }, kWait));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(again->scene().spheres.size(), 1u);
}

TEST_F(RoomTest, RevokedTokensSessionEnds) {
  auto bob = join(other_, "bob");
  const auto keep_bob = [&] { bob->poll(0); };
  const auto tokens = testing::run_command(server_->server({"token", "list"}), keep_bob);
  const auto line = tokens.out.find(" bob ");
  ASSERT_NE(line, std::string::npos);
  const auto id = tokens.out.substr(tokens.out.rfind('\n', line) + 1, 5);
  ASSERT_EQ(testing::run_command(server_->server({"token", "revoke", std::to_string(std::stoi(id))}), keep_bob).exit_code,
            0);
  ASSERT_TRUE(bob->poll_until([&] { return bob->state() != ConnectionState::Joined; }, kWait));
  ASSERT_TRUE(bob->refusal());
  EXPECT_EQ(bob->refusal()->code, RefusalCode::RevokedToken);
}

TEST_F(RoomTest, SigtermCheckpointsAndARestartKeepsEveryAcknowledgedAnnotation) {
  std::size_t acknowledged = 0;
  {
    auto ada = join(annotator_, "ada");
    for (std::size_t item : {0u, 1u, 2u}) {
      const auto r = label_around(*ada, item, 0.3f, item % 2);
      ASSERT_TRUE(r.accepted());
      acknowledged += r.items_affected;
    }
    ada->poll(100);
    const auto held = ada->scene().labels;
    EXPECT_EQ(server_->terminate(), 0);
    EXPECT_EQ(stored_labels(), held);
  }
  auto db = store::Database::open(server_->database());
  auto checkpoints = db.prepare("SELECT COUNT(*) FROM checkpoints");
  checkpoints.step();
  EXPECT_GE(checkpoints.int64(0), 1) << "SIGTERM must checkpoint";
  EXPECT_EQ(static_cast<std::size_t>(testing::stored_annotations(server_->database())), acknowledged);

  server_->start();
  auto back = join(lead_, "lea");
  ASSERT_TRUE(back->poll_until([&] { return back->scene().labels == stored_labels(); }, kWait));
  EXPECT_FALSE(back->scene().labels.empty());
}

TEST_F(RoomTest, OracleBotsLabelAndEveryAcknowledgementIsStored) {
  const auto run_bot = [&](const std::string& token, const std::string& name) {
    return testing::run_command({LODESTONE_BOT_BIN, "--port", std::to_string(server_->port()), "--token", token,
                                 "--name", name, "--policy", "oracle", "--truth-db", server_->database().string(),
                                 "--max-actions", "5", "--interval-ms", "50", "--seconds", "20"});
  };
  const auto a = run_bot(annotator_, "oracle-a");
  const auto b = run_bot(other_, "oracle-b");
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ASSERT_EQ(b.exit_code, 0) << b.out;
  const auto acknowledged = [](const std::string& out) {
    const auto at = out.find(" annotations acknowledged");
    if (at == std::string::npos) return -1L;
    return std::stol(out.substr(out.rfind(' ', at - 1) + 1));
  };
  EXPECT_GT(acknowledged(a.out), 0) << a.out;
  EXPECT_EQ(acknowledged(a.out) + acknowledged(b.out), testing::stored_annotations(server_->database()))
      << a.out << b.out;
}

}  // namespace
}  // namespace lodestone

namespace lodestone {
namespace {

// `label --csv` writes the store directly; a running room keeps its labels in memory
// and would never show them, so the command waits for the server to stop.
TEST_F(RoomTest, TheLabelCommandIsRefusedWhileTheServerRunsAndWorksOnceItStops) {
  auto ada = join(annotator_, "ada");
  const auto class_name = ada->scene().label_set.classes.at(0).name;
  std::int64_t item = 0;
  {
    auto db = store::Database::open(server_->database());
    auto first = db.prepare("SELECT MIN(id) FROM items");
    first.step();
    item = first.int64(0);
  }
  const auto csv = server_->data_dir() / "labels.csv";
  {
    std::ofstream out(csv);
    out << "item_id,class\n" << item << "," << class_name << "\n";
  }
  const auto keep_ada = [&] { ada->poll(0); };
  const auto label = server_->server({"label", "--csv", csv.string(), "--annotator", "ada"});
  EXPECT_NE(testing::run_command(label, keep_ada).exit_code, 0) << "label must refuse while the server runs";
  EXPECT_EQ(testing::stored_annotations(server_->database()), 0);
  ASSERT_EQ(server_->terminate(), 0);
  ASSERT_EQ(testing::run_command(label).exit_code, 0);
  EXPECT_EQ(testing::stored_annotations(server_->database()), 1);
}

TEST_F(RoomTest, LiveBackupHoldsEveryAcknowledgedAnnotationAndRestoreWaitsForTheServer) {
  auto ada = join(annotator_, "ada");
  std::size_t acknowledged = 0;
  for (std::size_t item : {0u, 10u}) {
    const auto r = label_around(*ada, item, 0.4f, item % 2);
    ASSERT_TRUE(r.accepted());
    acknowledged += r.items_affected;
  }
  const auto backup = server_->data_dir().parent_path() / (server_->data_dir().filename().string() + "-backup");
  std::filesystem::remove_all(backup);
  const auto keep_ada = [&] { ada->poll(0); };
  ASSERT_EQ(testing::run_command(server_->server({"backup", "--out", backup.string()}), keep_ada).exit_code, 0);
  // Labelling goes on during and after the backup.
  ASSERT_TRUE(label_around(*ada, 20, 0.4f, 0).accepted());
  {
    auto copy = store::Database::open(backup / "lodestone.db");
    auto check = copy.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
  }
  EXPECT_EQ(static_cast<std::size_t>(testing::stored_annotations(backup / "lodestone.db")), acknowledged);
  EXPECT_NE(testing::run_command(server_->server({"restore", "--from", backup.string()}), keep_ada).exit_code, 0)
      << "restore must refuse while the server runs";
  ASSERT_EQ(server_->terminate(), 0);
  ASSERT_EQ(testing::run_command(server_->server({"restore", "--from", backup.string()})).exit_code, 0);
  EXPECT_EQ(static_cast<std::size_t>(testing::stored_annotations(server_->database())), acknowledged);
  std::filesystem::remove_all(backup);
}

// A newcomer to a large room: once it says where its viewer stands, the thumbnails of the
// items nearest it come before the rest (it draws those as textured cubes), and every
// thumbnail still arrives, once.
TEST(RoomThumbnails, TheNearestItemsComeFirstOnceTheClientSaysWhereItStands) {
  // 20,000 items of 28×28: 15.7 MB of thumbnails, ten times what the room queues for a
  // client before its focus can arrive.
  ServerProcess server(20000, 28);
  const auto token = server.make_token("ada", "annotator");
  server.start();
  {
    // A first client waits for the room's first snapshot, so the newcomer's join carries a
    // keyframe and it can say where it stands before most thumbnails are on their way.
    RoomClient early({"127.0.0.1", server.port(), token, "early"});
    ASSERT_TRUE(early.connect()) << early.error();
    ASSERT_TRUE(early.poll_until([&] { return early.has_positions(); }, kWait)) << early.error();
  }
  RoomClient c({"127.0.0.1", server.port(), token, "near"});
  ASSERT_TRUE(c.connect()) << c.error();
  ASSERT_TRUE(c.poll_until([&] { return c.scene().dataset && c.has_positions(); }, kWait)) << c.error();
  const auto positions = c.newest_positions();
  const Vec3 viewer = positions.at(12345);  // among the items, wherever training put them
  ASSERT_LT(c.scene().thumbnails.held(), 10000u) << "the thumbnails came before the positions";
  // The 1,000 nearest of the items it still lacks when it says where it stands.
  const std::size_t held_at_focus = c.scene().thumbnails.held();
  std::vector<std::uint32_t> nearest;
  for (std::uint32_t i = 0; i < positions.size(); ++i) {
    if (!c.scene().thumbnails.has(i)) nearest.push_back(i);
  }
  c.focus_thumbnails(viewer);
  const auto d2 = [&](std::uint32_t i) {
    const Vec3 d{positions[i].x - viewer.x, positions[i].y - viewer.y, positions[i].z - viewer.z};
    return d.x * d.x + d.y * d.y + d.z * d.z;
  };
  std::nth_element(nearest.begin(), nearest.begin() + 1000, nearest.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return d2(a) < d2(b); });
  nearest.resize(1000);

  ASSERT_TRUE(c.poll_until([&] { return c.scene().thumbnails.complete(); }, kWait));
  const auto arrival = c.take_fresh_thumbnails(SIZE_MAX);
  ASSERT_EQ(arrival.size(), 20000u);
  EXPECT_EQ(std::set<std::uint32_t>(arrival.begin(), arrival.end()).size(), 20000u);
  EXPECT_EQ(c.scene().thumbnail_bytes_received, c.scene().dataset->thumbnails_bytes);
  // The next 4,000 to arrive hold those already on their way (ENet's window, a few
  // hundred kilobytes) and then the nearest. In item order about a quarter of the 1,000
  // would be among them; nearest first, nearly all.
  const auto window_end = std::min(arrival.size(), held_at_focus + 4000);
  const std::set<std::uint32_t> next(arrival.begin() + static_cast<std::ptrdiff_t>(held_at_focus),
                                     arrival.begin() + static_cast<std::ptrdiff_t>(window_end));
  const auto early = std::count_if(nearest.begin(), nearest.end(), [&](std::uint32_t i) { return next.contains(i); });
  EXPECT_GE(early, 900) << "of the 1,000 nearest items missing at the focus, only " << early
                        << " came among the next 4,000 thumbnails";
}

}  // namespace
}  // namespace lodestone
