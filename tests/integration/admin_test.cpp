// The console's side of the protocol against a real server: status for every role, the
// lead's operations, refusals for everyone else, and exports while bots label.
#include "core/room_client.h"
#include "store/database.h"
#include "integration/stored_labels.h"
#include "result_checks.h"
#include "support/server_process.h"
#include "support/time_scale.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <thread>

namespace lodestone {
namespace {

using client::ConnectionState;
using client::RoomClient;
using testing::ServerProcess;

const int kWait = testing::scaled_ms(15000);
constexpr float kUnchanged = std::numeric_limits<float>::quiet_NaN();

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(1200, 8);
    lead_ = server_->make_token("lea", "lead");
    annotator_ = server_->make_token("ada", "annotator");
    viewer_ = server_->make_token("vic", "viewer");
    server_->start({"--checkpoint-minutes", "60"});
  }

  std::unique_ptr<RoomClient> join(const std::string& token, const std::string& name,
                                   ClientKind kind = ClientKind::Console) {
    auto c = std::make_unique<RoomClient>(client::ConnectOptions{"127.0.0.1", server_->port(), token, name, kind});
    EXPECT_TRUE(c->connect()) << c->error();
    EXPECT_TRUE(c->poll_until([&] { return c->scene().has_keyframe && !c->scene().label_set.classes.empty(); }, kWait))
        << "no join state: " << c->error();
    return c;
  }

  template <class Request>
  static client::ConsoleReplies ask(RoomClient& c, Request request) {
    const auto id = c.send_request(request);
    EXPECT_TRUE(c.poll_until([&] { return c.replies(id) && c.replies(id)->answered(); }, kWait))
        << "no answer to request " << id;
    return c.replies(id) ? *c.replies(id) : client::ConsoleReplies{};
  }

  template <class Request>
  static AdminResult run(RoomClient& c, Request request) {
    return ask(c, request).result.value_or(testing::no_admin_answer());
  }

  // Labels every item with the class at `class_index`: a sphere over the whole room, since
  // the small test cloud moves and regroups while it trains.
  static std::uint32_t label_all(RoomClient& c, std::size_t class_index) {
    const auto created = send_intent(c, {0, IntentKind::CreateSphere, 0, {0.0f, 1.4f, 0.0f}, 3.5f, kNoClass});
    EXPECT_TRUE(created.accepted()) << created.reason();
    const auto labelled = send_intent(
        c, {0, IntentKind::AssignClass, created.sphere_id, {}, 0, c.scene().label_set.classes.at(class_index).id});
    EXPECT_TRUE(labelled.accepted()) << labelled.reason();
    return labelled.items_affected;
  }

  static IntentResult send_intent(RoomClient& c, Intent intent) {
    const auto id = c.send_intent(intent);
    std::optional<IntentResult> result;
    EXPECT_TRUE(c.poll_until([&] { return (result = c.result(id)).has_value(); }, kWait));
    return result.value_or(testing::no_intent_answer());
  }

  std::unique_ptr<ServerProcess> server_;
  std::string lead_, annotator_, viewer_;
};

TEST_F(AdminTest, EveryLeadOperationIsRefusedToAnnotatorsAndViewers) {
  for (const auto& token : {annotator_, viewer_}) {
    auto c = join(token, "not-a-lead");
    const std::vector<AdminResult> results = {
        run(*c, ListRequest{0, ListKind::Tokens}),
        run(*c, ClassCommand{0, ClassOp::Create, kNoClass, kNoClass, "sneaky", 0, -1}),
        run(*c, CheckpointCommand{0, CheckpointOp::SaveNow, 0}),
        run(*c, TrainingCommand{0, true, true, kUnchanged, kUnchanged, kUnchanged, kUnchanged}),
        run(*c, TokenCommand{0, TokenOp::Create, "mallory", Role::Lead, 0}),
        run(*c, ResolveConflict{0, 0, c->scene().label_set.classes[0].id}),
        run(*c, ImportRequest{0, "/tmp", "images", "", ""}),
        run(*c, ExportRequest{0, "csv", (server_->data_dir() / "x.csv").string(), false, 0.9f, {}, {}, false}),
    };
    for (const auto& r : results) {
      EXPECT_FALSE(r.ok());
      EXPECT_EQ(r.refusal, RefusalCode::Forbidden) << r.message;
    }
    // Refused, not dropped: the session goes on.
    c->poll(200);
    EXPECT_EQ(c->state(), ConnectionState::Joined);
  }
  auto db = store::Database::open(server_->database());
  auto q = db.prepare("SELECT COUNT(*) FROM classes WHERE name = 'sneaky'");
  q.step();
  EXPECT_EQ(q.int64(0), 0);
  auto tokens = db.prepare("SELECT COUNT(*) FROM tokens");
  tokens.step();
  EXPECT_EQ(tokens.int64(0), 3);
}

TEST_F(AdminTest, StatusAnswersEveryRoleAndTheCommandPrintsIt) {
  auto ada = join(annotator_, "ada", ClientKind::Bot);
  const auto labelled = label_all(*ada, 0);
  auto vic = join(viewer_, "vic");
  ServerStatus status;
  ASSERT_TRUE(vic->poll_until([&] {
    status = ask(*vic, StatusRequest{}).status.value_or(ServerStatus{});
    return status.snapshot_rate > 0;  // measured once a second
  }, kWait));
  EXPECT_EQ(status.item_count, 1200u);
  EXPECT_EQ(status.annotators, 1u);
  EXPECT_EQ(status.viewers, 1u);
  EXPECT_EQ(status.labelled_count, labelled);
  EXPECT_GT(status.database_bytes, 0u);
  EXPECT_GT(status.bytes_out_per_second, 0.0f);

  const auto printed = testing::run_command(server_->server(
      {"status", "--port", std::to_string(server_->port()), "--token", viewer_, "--json"}));
  ASSERT_EQ(printed.exit_code, 0);
  // Read back by a JSON parser: every field of the status, NaN-free, escaped.
  const auto json = nlohmann::json::parse(printed.out);
  EXPECT_EQ(json["items"], 1200);
  EXPECT_EQ(json["labelled"], labelled);
  EXPECT_GE(json["clients"]["viewer"].get<int>(), 1);
  EXPECT_TRUE(json["training"]["step"].is_number());
  EXPECT_TRUE(json["last_checkpoint"].is_null() || json["last_checkpoint"]["id"].is_number()) << printed.out;
  EXPECT_NEAR(json["acceptance_threshold"].get<double>(), 0.9, 1e-6);
  const auto refused = testing::run_command(server_->server(
      {"status", "--port", std::to_string(server_->port()), "--token", "not-a-token"}));
  EXPECT_NE(refused.exit_code, 0);
}

// A console joining a room that has trained a while gets the figures from before it
// connected (the last hour, one a second), so its charts do not start empty.
TEST_F(AdminTest, AConsoleJoiningGetsTheRoomsRecentTrainingFigures) {
  auto first = join(lead_, "lea");
  ASSERT_TRUE(first->poll_until([&] { return first->scene().training && first->scene().training->step > 0; }, kWait));
  first->poll_until([] { return false; }, testing::scaled_ms(3000));  // three more seconds of figures
  auto console = join(lead_, "lea-again", ClientKind::Console);
  ASSERT_TRUE(console->poll_until([&] { return console->scene().recent_training.has_value(); }, kWait));
  const auto& points = console->scene().recent_training->points;
  ASSERT_GE(points.size(), 3u);
  EXPECT_GT(points.front().seconds_ago, points.back().seconds_ago) << "oldest first";
  EXPECT_GE(points.front().seconds_ago, 2.0);
  EXPECT_LE(points.front().status.step, points.back().status.step) << "the figures in the order they happened";
  auto bot = join(annotator_, "ada", ClientKind::Bot);
  bot->poll_until([] { return false; }, 500);
  EXPECT_FALSE(bot->scene().recent_training) << "only consoles draw the charts";
}

TEST_F(AdminTest, ClassEditsReachEveryClientAndTheModelKeepsTraining) {
  auto lea = join(lead_, "lea");
  auto ada = join(annotator_, "ada", ClientKind::Bot);
  const auto created = run(*lea, ClassCommand{0, ClassOp::Create, kNoClass, kNoClass, "three", 0x123456, -1});
  ASSERT_TRUE(created.ok()) << created.message;
  ASSERT_TRUE(ada->poll_until([&] { return ada->scene().label_set.classes.size() == 3; }, kWait));
  EXPECT_EQ(ada->scene().label_set.classes[2].name, "three");
  EXPECT_EQ(ada->scene().label_set.classes[2].color, 0x123456u);

  // The new class labels like any other, and training goes on with three outputs.
  const auto in_new_class = label_all(*ada, 2);
  ASSERT_GT(in_new_class, 0u);
  const auto step = ada->scene().training ? ada->scene().training->step : 0;
  EXPECT_TRUE(ada->poll_until([&] { return ada->scene().training && ada->scene().training->step > step + 10; }, kWait));

  // Merging moves its labels; a duplicate name is refused with a reason.
  const auto duplicate = run(*lea, ClassCommand{0, ClassOp::Create, kNoClass, kNoClass, "three", 0, -1});
  EXPECT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.message.find("already exists"), std::string::npos) << duplicate.message;
  const auto three = ada->scene().label_set.classes[2].id, first = ada->scene().label_set.classes[0].id;
  const auto merged = run(*lea, ClassCommand{0, ClassOp::Merge, three, first, "", 0, -1});
  ASSERT_TRUE(merged.ok()) << merged.message;
  // The new label set, then every label: none left in the merged class.
  ASSERT_TRUE(ada->poll_until([&] {
    const auto& labels = ada->scene().labels;
    return ada->scene().label_set.classes.size() == 2 && !labels.empty() &&
           std::none_of(labels.begin(), labels.end(), [&](const auto& l) { return l.second == three; });
  }, kWait));
  EXPECT_EQ(lea->state(), ConnectionState::Joined);
}

TEST_F(AdminTest, DeletingAClassErasesItsLabels) {
  auto lea = join(lead_, "lea");
  ASSERT_GT(label_all(*lea, 1), 0u);
  const auto doomed = lea->scene().label_set.classes[1].id;
  const auto deleted = run(*lea, ClassCommand{0, ClassOp::Delete, doomed, kNoClass, "", 0, -1});
  ASSERT_TRUE(deleted.ok()) << deleted.message;
  ASSERT_TRUE(lea->poll_until([&] { return lea->scene().label_set.classes.size() == 1; }, kWait));
  EXPECT_TRUE(lea->poll_until([&] { return lea->scene().labels.empty(); }, kWait));
  const auto last = run(*lea, ClassCommand{0, ClassOp::Delete, lea->scene().label_set.classes[0].id, kNoClass, "", 0, -1});
  EXPECT_FALSE(last.ok()) << "the last class must stay";
}

TEST_F(AdminTest, ATokenCreatedByTheLeadJoinsAndRevokingItEndsTheSession) {
  auto lea = join(lead_, "lea");
  const auto created = run(*lea, TokenCommand{0, TokenOp::Create, "newcomer", Role::Annotator, 0});
  ASSERT_TRUE(created.ok()) << created.message;
  ASSERT_FALSE(created.detail.empty()) << "the secret comes back once";
  auto newcomer = join(created.detail, "newcomer", ClientKind::Bot);
  ASSERT_EQ(newcomer->state(), ConnectionState::Joined);

  const auto tokens = ask(*lea, ListRequest{0, ListKind::Tokens}).list.value_or(ListReply{});
  const auto row = std::find_if(tokens.tokens.begin(), tokens.tokens.end(),
                                [](const TokenRow& t) { return t.user_name == "newcomer"; });
  ASSERT_NE(row, tokens.tokens.end());
  const auto revoked = run(*lea, TokenCommand{0, TokenOp::Revoke, "", Role::Viewer, row->token_id});
  ASSERT_TRUE(revoked.ok()) << revoked.message;
  EXPECT_TRUE(newcomer->poll_until([&] { return newcomer->state() != ConnectionState::Joined; }, kWait));
  ASSERT_TRUE(newcomer->refusal().has_value());
  EXPECT_EQ(newcomer->refusal()->code, RefusalCode::RevokedToken);
}

TEST_F(AdminTest, PauseStopsTrainingAndResumeRestartsIt) {
  auto lea = join(lead_, "lea");
  ASSERT_TRUE(run(*lea, TrainingCommand{0, true, true, kUnchanged, kUnchanged, kUnchanged, kUnchanged}).ok());
  ASSERT_TRUE(lea->poll_until([&] { return lea->scene().training && lea->scene().training->paused; }, kWait));
  lea->poll(2500);  // the trainer's last refresh may still land
  const auto paused_at = lea->scene().training->step;
  lea->poll(2500);
  EXPECT_EQ(lea->scene().training->step, paused_at);

  const auto changed = run(*lea, TrainingCommand{0, true, false, 5e-4f, kUnchanged, 5.0f, kUnchanged});
  ASSERT_TRUE(changed.ok()) << changed.message;
  EXPECT_TRUE(lea->poll_until([&] { return !lea->scene().training->paused && lea->scene().training->step > paused_at; }, kWait));
  const auto bad = run(*lea, TrainingCommand{0, false, false, -1.0f, kUnchanged, kUnchanged, kUnchanged});
  EXPECT_FALSE(bad.ok());
}

TEST_F(AdminTest, CheckpointsAreSavedListedRestoredAndDeleted) {
  auto lea = join(lead_, "lea");
  const auto saved = run(*lea, CheckpointCommand{0, CheckpointOp::SaveNow, 0});
  ASSERT_TRUE(saved.ok()) << saved.message;
  const auto id = std::stoll(saved.detail);
  auto list = ask(*lea, ListRequest{0, ListKind::Checkpoints}).list.value_or(ListReply{});
  ASSERT_FALSE(list.checkpoints.empty());
  EXPECT_EQ(list.checkpoints.back().id, id);
  EXPECT_TRUE(list.checkpoints.back().active);

  const auto restored = ask(*lea, CheckpointCommand{0, CheckpointOp::Restore, id});
  ASSERT_TRUE(restored.result && restored.result->ok()) << (restored.result ? restored.result->message : "");
  EXPECT_FALSE(restored.progress.empty());
  const auto missing = run(*lea, CheckpointCommand{0, CheckpointOp::Restore, id + 1000});
  EXPECT_EQ(missing.refusal, RefusalCode::NotFound);

  ASSERT_TRUE(run(*lea, CheckpointCommand{0, CheckpointOp::Delete, id}).ok());
  list = ask(*lea, ListRequest{0, ListKind::Checkpoints}).list.value_or(ListReply{});
  EXPECT_TRUE(std::none_of(list.checkpoints.begin(), list.checkpoints.end(),
                           [&](const CheckpointRow& c) { return c.id == id; }));
}

TEST_F(AdminTest, LabelsStandingSurviveARestartOfTheServer) {
  std::uint32_t standing = 0;
  {
    auto lea = join(lead_, "lea");
    auto ada = join(annotator_, "ada", ClientKind::Bot);
    ASSERT_GT(label_all(*ada, 0), 0u);
    const auto rows = ask(*lea, ListRequest{0, ListKind::Annotators}).list.value_or(ListReply{}).annotators;
    const auto ada_row = std::find_if(rows.begin(), rows.end(), [](const AnnotatorRow& r) { return r.user_name == "ada"; });
    ASSERT_NE(ada_row, rows.end());
    standing = ada_row->current_labels;
    ASSERT_GT(standing, 0u);
  }
  ASSERT_EQ(server_->terminate(), 0);
  server_->start({"--checkpoint-minutes", "60"});
  auto lea = join(lead_, "lea");
  const auto rows = ask(*lea, ListRequest{0, ListKind::Annotators}).list.value_or(ListReply{}).annotators;
  const auto ada_row = std::find_if(rows.begin(), rows.end(), [](const AnnotatorRow& r) { return r.user_name == "ada"; });
  ASSERT_NE(ada_row, rows.end());
  EXPECT_EQ(ada_row->current_labels, standing);  // not 0: the room reads who labelled what from the store
}

TEST_F(AdminTest, ListsShowDatasetsOnlineUsersAnnotatorsAndConflicts) {
  auto lea = join(lead_, "lea");
  auto ada = join(annotator_, "ada", ClientKind::Bot);
  const auto a = label_all(*ada, 0);
  ASSERT_GT(label_all(*lea, 1), 0u);  // the lead disagrees with ada on the same region
  const auto datasets = ask(*lea, ListRequest{0, ListKind::Datasets}).list.value_or(ListReply{}).datasets;
  ASSERT_EQ(datasets.size(), 1u);
  EXPECT_TRUE(datasets[0].shown);
  EXPECT_EQ(datasets[0].items, 1200u);
  EXPECT_GT(datasets[0].conflicts, 0u);
  EXPECT_EQ(datasets[0].per_class.size(), 2u);

  const auto online = ask(*lea, ListRequest{0, ListKind::Online}).list.value_or(ListReply{}).online;
  EXPECT_EQ(online.size(), 2u);
  const auto annotators = ask(*lea, ListRequest{0, ListKind::Annotators}).list.value_or(ListReply{}).annotators;
  ASSERT_EQ(annotators.size(), 2u);
  const auto ada_row = std::find_if(annotators.begin(), annotators.end(), [](const AnnotatorRow& r) { return r.user_name == "ada"; });
  ASSERT_NE(ada_row, annotators.end());
  EXPECT_EQ(ada_row->annotations, a);

  const auto conflicts = ask(*lea, ListRequest{0, ListKind::Conflicts}).list.value_or(ListReply{}).conflicts;
  ASSERT_FALSE(conflicts.empty());
  EXPECT_EQ(conflicts[0].annotators.size(), 2u);
  // Resolving one gives the item the lead's choice, seen by every client.
  const auto chosen = lea->scene().label_set.classes[0].id;
  ASSERT_TRUE(run(*lea, ResolveConflict{0, conflicts[0].item_index, chosen}).ok());
  EXPECT_TRUE(ada->poll_until([&] {
    const auto it = ada->scene().labels.find(conflicts[0].item_index);
    return it != ada->scene().labels.end() && it->second == chosen;
  }, kWait));
}

std::vector<std::string> csv_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(AdminTest, ExportThroughTheProtocolReportsProgressAndRefusesToOverwrite) {
  auto lea = join(lead_, "lea");
  ASSERT_GT(label_all(*lea, 0) + label_all(*lea, 1), 0u);
  // The second sphere relabels the first one's items: what counts is each item's label now.
  lea->poll(300);
  const auto labelled = lea->scene().labels.size();
  const auto out = server_->data_dir() / "export.csv";
  const auto first = ask(*lea, ExportRequest{0, "csv", out.string(), false, 0.9f, {}, {}, false});
  ASSERT_TRUE(first.result && first.result->ok()) << (first.result ? first.result->message : "");
  EXPECT_FALSE(first.progress.empty());
  EXPECT_EQ(first.result->detail, out.string());
  EXPECT_EQ(csv_lines(out).size(), labelled + 1) << "a header and one row per labelled item";

  const auto again = run(*lea, ExportRequest{0, "csv", out.string(), false, 0.9f, {}, {}, false});
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message.find("exists"), std::string::npos) << again.message;
  EXPECT_TRUE(run(*lea, ExportRequest{0, "csv", out.string(), false, 0.9f, {}, {}, true}).ok());
  const auto unknown = run(*lea, ExportRequest{0, "csv", out.string(), false, 0.9f, {"no-such-class"}, {}, true});
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message.find("no-such-class"), std::string::npos) << unknown.message;
  const auto relative = run(*lea, ExportRequest{0, "csv", "out.csv", false, 0.9f, {}, {}, true});
  EXPECT_FALSE(relative.ok());
}

TEST_F(AdminTest, ImportThroughTheProtocolStoresADatasetOrSaysWhyNot) {
  auto lea = join(lead_, "lea");
  const auto images = server_->data_dir() / "more-images.idx", labels = server_->data_dir() / "more-labels.idx";
  testing::write_idx(images, labels, 300, 8);
  const auto imported = ask(*lea, ImportRequest{0, images.string(), "idx", "", labels.string()});
  ASSERT_TRUE(imported.result && imported.result->ok()) << (imported.result ? imported.result->message : "");
  EXPECT_FALSE(imported.progress.empty());
  const auto datasets = ask(*lea, ListRequest{0, ListKind::Datasets}).list.value_or(ListReply{}).datasets;
  ASSERT_EQ(datasets.size(), 2u);
  EXPECT_EQ(datasets[1].items, 300u);
  EXPECT_FALSE(datasets[1].shown);

  std::filesystem::resize_file(images, 16 + 8 * 8 * 10 + 5);  // cut inside the 11th image
  const auto truncated = run(*lea, ImportRequest{0, images.string(), "idx", "", ""});
  EXPECT_FALSE(truncated.ok());
  EXPECT_NE(truncated.message.find("nothing was stored"), std::string::npos) << truncated.message;
  const auto missing = run(*lea, ImportRequest{0, "/no/such/folder", "images", "", ""});
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message.find("/no/such/folder"), std::string::npos) << missing.message;
}

// Whether `exported` equals the labels at some moment of the annotation log: replays the
// log in order, keeping count of the items where the replayed labels and the export differ.
bool matches_a_moment(store::Database& db, const std::map<std::int64_t, std::string>& exported) {
  std::map<std::int64_t, std::string> state;
  std::size_t differing = exported.size();
  if (differing == 0) return true;
  const auto differs = [&](std::int64_t item) {
    const auto e = exported.find(item);
    const auto s = state.find(item);
    if (e == exported.end()) return s != state.end();
    return s == state.end() || s->second != e->second;
  };
  auto q = db.prepare("SELECT a.item_id, c.name FROM annotations a LEFT JOIN classes c ON c.id = a.class_id ORDER BY a.id");
  while (q.step()) {
    const auto item = q.int64(0);
    const bool before = differs(item);
    if (q.is_null(1)) state.erase(item); else state[item] = q.text(1);
    const bool after = differs(item);
    differing = differing - (before ? 1 : 0) + (after ? 1 : 0);
    if (differing == 0) return true;
  }
  return false;
}

TEST_F(AdminTest, AnExportTakenWhileBotsLabelIsTheLabelsOfOneMoment) {
  const auto bot_token = server_->make_token("bot", "annotator");
  std::thread bots([&] {
    testing::run_command({LODESTONE_BOT_BIN, "--port", std::to_string(server_->port()), "--token", bot_token, "--name",
                          "bot", "--policy", "random", "--interval-ms", "20", "--seconds", "8"});
  });
  auto lea = join(lead_, "lea");
  std::vector<std::filesystem::path> exports;
  for (int i = 0; i < 4; ++i) {
    lea->poll(1200);
    const auto out = server_->data_dir() / ("live-" + std::to_string(i) + ".csv");
    const auto r = run(*lea, ExportRequest{0, "csv", out.string(), false, 0.9f, {}, {}, false});
    ASSERT_TRUE(r.ok()) << r.message;
    exports.push_back(out);
  }
  bots.join();

  testing::wait_for_label_history(server_->database());
  auto db = store::Database::open(server_->database());
  auto count = db.prepare("SELECT COUNT(*) FROM annotations");
  count.step();
  ASSERT_GT(count.int64(0), 0) << "the bot labelled nothing";
  for (const auto& file : exports) {
    const auto lines = csv_lines(file);
    ASSERT_FALSE(lines.empty());
    const auto header = lines[0];
    ASSERT_EQ(header.rfind("item_id,", 0), 0u) << header;
    std::map<std::int64_t, std::string> exported;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const auto first = lines[i].find(',');
      const auto second = lines[i].find(',', first + 1);
      const auto third = lines[i].find(',', second + 1);
      exported[std::stoll(lines[i].substr(0, first))] = lines[i].substr(second + 1, third - second - 1);
    }
    EXPECT_TRUE(matches_a_moment(db, exported))
        << file << " (" << exported.size() << " labels) matches no moment of the annotation log";
  }
}

// The configuration file: flags over the file over the defaults, and errors that name
// the file, the line and the key.
TEST(Configuration, FlagsOverrideTheFileAndPrintSaysWhereEachValueCameFrom) {
  const testing::TempDir dir;
  const auto file = dir.path() / "lodestone.toml";
  std::ofstream(file) << "[server]\nport = 7800\naddress = \"0.0.0.0\"\n[room]\nsnapshot_rate = 12.5\n";
  const auto printed = testing::run_command(
      {LODESTONE_SERVER_BIN, "--config", file.string(), "config", "--print", "--port", "7900"});
  ASSERT_EQ(printed.exit_code, 0);
  const auto line_of = [&](const std::string& key) {
    const auto at = printed.out.find("\n" + key + " ");
    return at == std::string::npos ? std::string() : printed.out.substr(at + 1, printed.out.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(line_of("port").find("7900"), std::string::npos) << printed.out;
  EXPECT_NE(line_of("port").find("command line"), std::string::npos) << line_of("port");
  EXPECT_NE(line_of("address").find("0.0.0.0"), std::string::npos) << printed.out;
  EXPECT_NE(line_of("address").find(file.string()), std::string::npos) << line_of("address");
  EXPECT_NE(line_of("snapshot_rate").find("12.5"), std::string::npos) << printed.out;
  EXPECT_NE(line_of("keep").find("default"), std::string::npos) << printed.out;
}

TEST(Configuration, AnUnknownKeyOrABadValueStopsTheProgram) {
  const testing::TempDir dir;
  const auto file = dir.path() / "bad.toml";
  for (const char* text : {"[room]\nsnapshot_rat = 3\n", "[server]\nport = \"seven\"\n", "[server]\nport = 99999\n",
                           "[server\nport = 1\n"}) {
    std::ofstream(file) << text;
    const auto result = testing::run_command({LODESTONE_SERVER_BIN, "--config", file.string(), "config", "--print"});
    EXPECT_EQ(result.exit_code, 2) << text;
    EXPECT_TRUE(result.out.empty()) << "nothing printed for a bad file: " << result.out;
  }
}

}  // namespace
}  // namespace lodestone
