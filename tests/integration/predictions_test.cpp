// The model's view in the room, end to end on a real server: every client hears the
// predictions, accepting a sphere's confident predictions labels them as "accepted" (one
// act, broadcast, stored, undoable), inspecting an item returns its history, and a lead
// sets the acceptance threshold, which a restart keeps.
#include "integration/room_fixture.h"

#include <algorithm>
#include <limits>

namespace lodestone::testing {
namespace {

float squared_distance(Vec3 a, Vec3 b) {
  return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z);
}

class PredictionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(400, 8);
    ada_ = server_->make_token("ada", "annotator");
    bob_ = server_->make_token("bob", "annotator");
    vic_ = server_->make_token("vic", "viewer");
    lea_ = server_->make_token("lea", "lead");
    server_->start();
  }

  // Labels a sphere by hand around `item` (class at `position` in the label set).
  static IntentResult label_around(client::RoomClient& c, std::size_t item, float radius, std::size_t position) {
    const auto created = ask(c, {0, IntentKind::CreateSphere, 0, c.newest_positions().at(item), radius, kNoClass});
    EXPECT_TRUE(created.accepted()) << created.reason();
    return ask(c, {0, IntentKind::AssignClass, created.sphere_id, {}, 0, c.scene().label_set.classes.at(position).id});
  }

  // Unlabelled items the client was told are predicted at or above the room's threshold.
  static std::size_t confident_unlabelled(const client::RoomClient& c) {
    const auto threshold = confidence_byte(c.scene().acceptance_threshold);
    std::size_t n = 0;
    for (const auto& p : c.scene().predictions) {
      n += p.class_position != kNoPrediction && p.confidence >= threshold && !c.scene().labels.contains(p.item_index);
    }
    return n;
  }

  // A training command that changes the acceptance threshold alone.
  static TrainingCommand threshold(float value) {
    constexpr float kUnchanged = std::numeric_limits<float>::quiet_NaN();
    TrainingCommand c{0, false, false, kUnchanged, kUnchanged, kUnchanged, kUnchanged, true, value};
    return c;
  }

  template <class Reply>
  static std::optional<Reply> request(client::RoomClient& c, auto message, std::optional<Reply> client::ConsoleReplies::*field) {
    const auto id = c.send_request(message);
    std::optional<Reply> got;
    c.poll_until([&] {
      const auto* r = c.replies(id);
      if (r && (r->*field)) got = *(r->*field);
      return got.has_value() || (r && r->result);
    }, kWaitMs);
    return got;
  }

  static AdminResult run(client::RoomClient& c, auto command) {
    const auto id = c.send_request(command);
    std::optional<AdminResult> got;
    c.poll_until([&] {
      const auto* r = c.replies(id);
      if (r && r->result) got = r->result;
      return got.has_value();
    }, kWaitMs);
    return got.value_or(testing::no_admin_answer());
  }

  std::unique_ptr<ServerProcess> server_;
  std::string ada_, bob_, vic_, lea_;
};

TEST_F(PredictionsTest, AcceptingLabelsTheConfidentPredictionsForEveryoneAsAccepted) {
  auto ada = join_room(server_->port(), ada_, "ada");
  auto bob = join_room(server_->port(), bob_, "bob");
  auto vic = join_room(server_->port(), vic_, "vic");
  // Two regions by hand, far apart, one class each: the model has something to go on.
  const auto& at = ada->newest_positions();
  std::size_t far = 0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (squared_distance(at[i], at[0]) > squared_distance(at[far], at[0])) far = i;
  }
  ASSERT_TRUE(label_around(*ada, 0, 0.3f, 0).accepted());
  ASSERT_TRUE(label_around(*ada, far, 0.3f, 1).accepted());

  // Every client hears the model's verdicts, the whole set first, then what changes.
  const auto heard = [](const client::RoomClient& c) { return c.scene().predictions.size() == 400; };
  ASSERT_TRUE(ada->poll_until([&] { return heard(*ada) && confident_unlabelled(*ada) > 0; }, 6 * kWaitMs))
      << "no confident prediction on an unlabelled item reached the annotator";
  ASSERT_TRUE(bob->poll_until([&] { return heard(*bob); }, kWaitMs));
  EXPECT_FLOAT_EQ(ada->scene().acceptance_threshold, 0.9f);

  // A sphere over the whole room: a viewer may not accept, an annotator may.
  const auto whole = ask(*ada, {0, IntentKind::CreateSphere, 0, {0, 1.4f, 0}, 4.0f, kNoClass});
  ASSERT_TRUE(whole.accepted()) << whole.reason();
  const auto refused = ask(*vic, {0, IntentKind::AcceptPredictions, whole.sphere_id, {}, 0, kNoClass});
  EXPECT_FALSE(refused.accepted());
  EXPECT_EQ(refusal_code(refused), RefusalCode::Forbidden);
  const std::size_t labelled_before = ada->scene().labels.size();
  const auto accepted = ask(*ada, {0, IntentKind::AcceptPredictions, whole.sphere_id, {}, 0, kNoClass});
  ASSERT_TRUE(accepted.accepted()) << accepted.reason();
  EXPECT_GT(accepted.items_affected, 0u);
  EXPECT_LE(accepted.items_affected, 400u - labelled_before);

  // Broadcast like any label: bob holds the same labels as ada.
  const auto expected = labelled_before + accepted.items_affected;
  ASSERT_TRUE(bob->poll_until([&] { return bob->scene().labels.size() == expected; }, kWaitMs));
  ASSERT_TRUE(ada->poll_until([&] { return ada->scene().labels.size() == expected; }, kWaitMs));
  EXPECT_EQ(bob->scene().labels, ada->scene().labels);

  // Stored as accepted (in batches, or in the history once written).
  wait_for_label_history(server_->database());
  EXPECT_EQ(count_rows(server_->database(), "SELECT COUNT(*) FROM annotations WHERE origin = 'accepted'"),
            static_cast<std::int64_t>(accepted.items_affected));

  // Inspecting an accepted item: its history says who accepted it and how.
  std::uint32_t accepted_item = 0;
  for (const auto& [item, cls] : ada->scene().labels) {
    const auto& p = ada->scene().predictions[item];
    if (p.confidence >= confidence_byte(0.9f) && cls == ada->scene().label_set.classes[p.class_position].id) {
      accepted_item = item;
    }
  }
  const auto details = request<ItemDetails>(*ada, InspectRequest{0, accepted_item}, &client::ConsoleReplies::details);
  ASSERT_TRUE(details);
  ASSERT_TRUE(details->found) << details->error;
  EXPECT_FALSE(details->source.empty());
  ASSERT_FALSE(details->history.empty());
  EXPECT_EQ(details->history[0].annotator, "ada");
  EXPECT_FALSE(details->history[0].at.empty());
  const auto missing = request<ItemDetails>(*ada, InspectRequest{0, 4000}, &client::ConsoleReplies::details);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->found);
  EXPECT_NE(missing->error.find("does not exist"), std::string::npos) << missing->error;

  // Accepting again finds nothing unlabelled that is confident enough, or nothing
  // unlabelled at all: refused with the reason, nothing stored.
  const auto again = ask(*ada, {0, IntentKind::AcceptPredictions, whole.sphere_id, {}, 0, kNoClass});
  if (!again.accepted()) {
    EXPECT_FALSE(again.reason().empty());
  }

  // Undone as one act.
  const auto undone = ask(*ada, {0, IntentKind::Undo, 0, {}, 0, kNoClass});
  ASSERT_TRUE(undone.accepted()) << undone.reason();
}

// The reviewer bot through a real room: it labels by hand until the model is confident
// somewhere, then accepts and corrects in turn (here until every item is labelled); the
// room stores every acknowledged label with its origin.
TEST_F(PredictionsTest, AReviewerBotAcceptsAndCorrectsAndEveryAcknowledgementIsStored) {
  // A region labelled by hand, and a model confident somewhere, before the reviewer comes.
  {
    auto ada = join_room(server_->port(), ada_, "ada");
    ASSERT_TRUE(label_around(*ada, 0, 0.3f, 0).accepted());
    ASSERT_TRUE(ada->poll_until([&] { return confident_unlabelled(*ada) > 0; }, 6 * kWaitMs))
        << "no confident prediction on an unlabelled item reached the annotator";
  }
  const auto result = run_command({LODESTONE_BOT_BIN, "--port", std::to_string(server_->port()), "--token", bob_,
                                   "--name", "reviewer", "--policy", "reviewer", "--truth-db",
                                   server_->database().string(), "--max-actions", "4", "--interval-ms", "300",
                                   "--seconds", "60"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  // "reviewer: N labelling acts (M accepting predictions), K annotations acknowledged, ..."
  const auto number_before = [&](const std::string& what) {
    const auto at = result.out.find(what);
    if (at == std::string::npos) return -1L;
    const auto start = result.out.find_last_of(" (", at - 1) + 1;
    return std::stol(result.out.substr(start, at - start));
  };
  const long acts = number_before(" labelling acts");
  const long accepting = number_before(" accepting predictions");
  const long acknowledged = number_before(" annotations acknowledged");
  EXPECT_GT(acts, 0) << result.out;
  EXPECT_GT(accepting, 0) << "the model never became confident enough to accept\n" << result.out;
  EXPECT_GT(acts - accepting, 0) << "nothing labelled by hand\n" << result.out;

  wait_for_label_history(server_->database());
  const auto reviewers = [&](const std::string& origin) {
    return count_rows(server_->database(), "SELECT COUNT(*) FROM annotations a JOIN users u ON u.id = a.annotator_id "
                                           "WHERE u.name = 'bob'" + origin);
  };
  EXPECT_EQ(acknowledged, reviewers("")) << result.out;
  EXPECT_GT(reviewers(" AND a.origin = 'accepted'"), 0) << result.out;
  EXPECT_GT(reviewers(" AND a.origin = 'manual'"), 0) << result.out;
}

TEST_F(PredictionsTest, ALeadSetsTheAcceptanceThresholdWithinBoundsAndARestartKeepsIt) {
  auto lea = join_room(server_->port(), lea_, "lea");
  auto ada = join_room(server_->port(), ada_, "ada");
  const auto refused = run(*lea, threshold(0.3f));
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message.find("[0.5, 1]"), std::string::npos) << refused.message;
  EXPECT_FALSE(run(*ada, threshold(0.6f)).ok()) << "only leads set the threshold";
  const auto done = run(*lea, threshold(0.95f));
  ASSERT_TRUE(done.ok()) << done.message;
  ASSERT_TRUE(ada->poll_until([&] { return ada->scene().acceptance_threshold == 0.95f; }, kWaitMs))
      << "clients hear the new threshold";

  ASSERT_EQ(server_->terminate(), 0);
  server_->start();
  auto again = join_room(server_->port(), lea_, "lea");
  const auto status = request<ServerStatus>(*again, StatusRequest{}, &client::ConsoleReplies::status);
  ASSERT_TRUE(status);
  EXPECT_FLOAT_EQ(status->acceptance_threshold, 0.95f);
}

TEST_F(PredictionsTest, TheConsoleCountsEachClassByOriginAndPredictionsWithTheirCalibration) {
  auto lea = join_room(server_->port(), lea_, "lea");
  ASSERT_TRUE(label_around(*lea, 0, 0.3f, 0).accepted());
  ASSERT_TRUE(lea->poll_until([&] { return confident_unlabelled(*lea) > 0; }, 6 * kWaitMs));
  const auto list = request<ListReply>(*lea, ListRequest{0, ListKind::Classes}, &client::ConsoleReplies::list);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->classes.size(), lea->scene().label_set.classes.size());
  std::uint32_t manual = 0, predicted = 0, with_truth = 0;
  for (const auto& row : list->classes) {
    manual += row.manual;
    predicted += row.predicted;
    with_truth += row.predicted_with_truth;
    EXPECT_EQ(row.accepted, 0u);
    EXPECT_LE(row.predicted_right, row.predicted_with_truth);
  }
  EXPECT_EQ(manual, lea->scene().labels.size());
  EXPECT_GT(predicted, 0u);
  EXPECT_EQ(with_truth, predicted) << "every item of this dataset has ground truth";
}

}  // namespace
}  // namespace lodestone::testing
