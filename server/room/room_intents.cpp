// Annotation intents on the room thread: rate-limited here, then handed to the writer
// (room/intent_writer.cpp) with the positions clients are shown right now; the outcomes
// come back committed, in order, and only then are they broadcast and acknowledged.
#include "room/room_server.h"

#include <spdlog/spdlog.h>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

void RoomServer::on_intent(Session& session, const Intent& intent) {
  const auto now = Clock::now();
  if (now - session.intent_window_start > std::chrono::seconds(1)) {
    session.intent_window_start = now;
    session.intents_in_window = 0;
  }
  IntentJob job{session.serial, session.identity.user_id, session.identity.role, intent, std::nullopt, true, nullptr,
                std::nullopt};
  if (++session.intents_in_window > options_.max_intents_per_second) {
    // Refused here, but still queued: the client's answers keep the order of its intents.
    job.decided = intent_refused(intent, RefusalCode::RateLimited,
                          "too many intents; at most " + std::to_string(options_.max_intents_per_second) + " per second");
    // A flood is logged once per second, at its first refusal: one line per refused
    // intent would let a single peer fill the server's log at network speed.
    if (session.intents_in_window == options_.max_intents_per_second + 1) {
      spdlog::info("refused {}'s {}: {}", session.identity.user_name, intent_name(intent.kind), job.decided->reason);
    }
  } else if (intent.kind == IntentKind::AssignClass || intent.kind == IntentKind::EraseLabels) {
    job.shown = shown_positions();
    job.class_known = intent.kind != IntentKind::AssignClass || class_position(dataset_.label_set, intent.class_id) >= 0;
  } else if (intent.kind == IntentKind::AcceptPredictions) {
    job.shown = shown_positions();
    job.accept = AcceptContext{model_predictions_, predictions_.threshold(), {}};
    for (const auto& c : dataset_.label_set.classes) job.accept->class_ids.push_back(c.id);
  }
  writer_->submit(std::move(job));
}

std::shared_ptr<const std::vector<Vec3>> RoomServer::shown_positions() {
  // One copy per snapshot tick at most, shared by every label that arrives within it.
  if (!shown_) shown_ = std::make_shared<const std::vector<Vec3>>(stream_.display());
  return shown_;
}

void RoomServer::deliver_intent_outcomes() {
  for (auto& outcome : writer_->take_finished()) {
    Session* session = nullptr;
    for (auto& [peer, s] : sessions_) {
      if (s.serial == outcome.session_serial) session = &s;
    }
    const std::string who = session ? session->identity.user_name : "user " + std::to_string(outcome.user);
    if (!outcome.log_detail.empty()) {
      spdlog::error("storing {}'s {} failed: {}", who, intent_name(outcome.kind), outcome.log_detail);
    }
    const auto& result = outcome.result;
    if (!result.accepted && result.refusal != RefusalCode::RateLimited) {
      spdlog::info("refused {}'s {}: {}", who, intent_name(outcome.kind), result.reason);
    }
    // Committed: everyone hears of it, even when its sender has left meanwhile.
    if (outcome.sphere_changed) broadcast(encode(SphereUpdate{*outcome.sphere_changed}), kControlChannel);
    if (outcome.sphere_removed) broadcast(encode(SphereRemoved{*outcome.sphere_removed}), kControlChannel);
    publish_stored_labels(outcome.user, outcome.written);
    if (result.accepted && (outcome.kind == IntentKind::AssignClass || outcome.kind == IntentKind::AcceptPredictions)) {
      ++counters_.labelling_acts;
    }
    if (session) net::send_message(session->peer, kControlChannel, result);
  }
}

void RoomServer::finish_queued_intents() {
  writer_->wait_idle();
  deliver_intent_outcomes();
}

void RoomServer::publish_stored_labels(UserId user, const std::vector<annotation::LabelChange>& written) {
  if (written.empty()) return;
  std::vector<ItemLabel> changes;
  changes.reserve(written.size());
  for (const auto& c : written) {
    const auto index = index_of_.at(c.item_id);
    dataset_.labels[index] = c.class_id == kNoClass ? -1 : class_position(dataset_.label_set, c.class_id);
    dataset_.labelled_by[index] = user;
    dataset_.origins[index] = c.origin;
    changes.push_back({index, c.class_id, user});
  }
  counters_.annotations_acknowledged += written.size();
  broadcast(encode(LabelsChanged{false, changes}), kControlChannel);
  trainer_.set_labels(dataset_.labels);
}

}  // namespace lodestone::room
