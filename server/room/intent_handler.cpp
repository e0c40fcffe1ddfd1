#include "room/intent_handler.h"

#include "annotation/label_store.h"

#include <spdlog/spdlog.h>

namespace lodestone::room {

void IntentHandler::on_intent(Session& session, const Intent& intent) {
  const auto now = std::chrono::steady_clock::now();
  session.last_activity = now;
  if (now - session.intent_window_start > std::chrono::seconds(1)) {
    session.intent_window_start = now;
    session.intents_in_window = 0;
  }
  IntentJob job{session.serial, session.identity.user_id, session.identity.role, intent, std::nullopt, true, nullptr,
                std::nullopt};
  const auto limit = room_.options.max_intents_per_second;
  if (++session.intents_in_window > limit) {
    // Refused here, but still queued: the client's answers keep the order of its intents.
    job.decided = intent_refused(intent, RefusalCode::RateLimited,
                                 "too many intents; at most " + std::to_string(limit) + " per second");
    // A flood is logged once per second, at its first refusal: one line per refused
    // intent would let a single peer fill the server's log at network speed.
    if (session.intents_in_window == limit + 1) {
      spdlog::info("refused {}'s {}: {}", session.identity.user_name, intent_name(intent.kind), job.decided->reason());
    }
  } else if (intent.kind == IntentKind::AssignClass || intent.kind == IntentKind::EraseLabels) {
    job.shown = room_.shown_positions();
    job.class_known = intent.kind != IntentKind::AssignClass || room_.labels.knows(intent.class_id);
  } else if (intent.kind == IntentKind::AcceptPredictions) {
    job.shown = room_.shown_positions();
    job.accept = AcceptContext{room_.model_predictions, room_.predictions.threshold(), {}};
    for (const auto& c : room_.labels.label_set().classes) job.accept->class_ids.push_back(c.id);
  }
  room_.writer->submit(std::move(job));
}

void IntentHandler::deliver_outcomes() {
  for (auto& outcome : room_.writer->take_finished()) {
    Session* session = sessions_.find(outcome.session_serial);
    const std::string who = session ? session->identity.user_name : "user " + std::to_string(outcome.user);
    if (!outcome.log_detail.empty()) {
      spdlog::error("storing {}'s {} failed: {}", who, intent_name(outcome.kind), outcome.log_detail);
    }
    const auto& result = outcome.result;
    if (result.refusal && result.refusal->code != RefusalCode::RateLimited) {
      spdlog::info("refused {}'s {}: {}", who, intent_name(outcome.kind), result.reason());
    }
    // Committed: everyone hears of it, even when its sender has left meanwhile.
    if (outcome.sphere_changed) sessions_.broadcast(encode(SphereUpdate{*outcome.sphere_changed}), kControlChannel);
    if (outcome.sphere_removed) sessions_.broadcast(encode(SphereRemoved{*outcome.sphere_removed}), kControlChannel);
    publish_stored_labels(outcome.user, outcome.written);
    if (result.accepted() && (outcome.kind == IntentKind::AssignClass || outcome.kind == IntentKind::AcceptPredictions)) {
      ++room_.counters.labelling_acts;
    }
    if (session) net::send_message(session->peer, kControlChannel, result);
  }
}

void IntentHandler::finish_queued() {
  room_.writer->wait_idle();
  deliver_outcomes();
}

void IntentHandler::publish_stored_labels(UserId user, const std::vector<annotation::LabelChange>& written) {
  if (written.empty()) return;
  std::vector<IndexedChange> indexed;
  indexed.reserve(written.size());
  for (const auto& c : written) indexed.emplace_back(room_.index_of(c.item_id), c);
  std::vector<ItemLabel> told;
  auto updates = room_.labels.apply(user, indexed, told);
  room_.counters.annotations_acknowledged += written.size();
  sessions_.broadcast(encode(LabelsChanged{false, std::move(told)}), kControlChannel);
  room_.trainer.update_labels(std::move(updates));
}

namespace {
// Clips one client may have waiting to be cut: enough to point along a row of cubes,
// never a queue one peer can fill for everyone.
constexpr std::size_t kQueuedClipsPerClient = 4;
}  // namespace

void IntentHandler::on_clip(Session& session, const ClipRequest& request) {
  ClipData refused{request.request_id, request.item_index, {}, {}};
  const auto answer = [&](std::string why) {
    refused.error = std::move(why);
    net::send_message(session.peer, kClipChannel, refused);
  };
  if (!room_.clips) return answer("this room shows images, not sound: its items have no clip to hear");
  if (request.item_index >= room_.item_ids.size()) {
    return answer("item " + std::to_string(request.item_index) + " does not exist (the dataset holds " +
                  std::to_string(room_.item_ids.size()) + " items)");
  }
  ClipJob job{session.serial, request, {}, 0, 0};
  try {
    auto q = room_.db.prepare("SELECT source, start_s, end_s FROM items WHERE id = ?");
    q.bind(1, room_.item_ids[request.item_index]);
    if (!q.step() || q.is_null(1) || q.is_null(2)) return answer("item " + std::to_string(request.item_index) + " has no span of a recording");
    job.recording = room_.sound_folder / q.text(0);
    job.start_seconds = q.real(1);
    job.end_seconds = q.real(2);
  } catch (const std::exception& e) {
    spdlog::error("finding item {}'s clip for {} failed: {}", request.item_index, session.identity.user_name, e.what());
    return answer("the server cannot read where this item's sound is now: " + store::client_reason(e));
  }
  if (!room_.clips->submit(std::move(job), kQueuedClipsPerClient)) {
    answer("already cutting " + std::to_string(kQueuedClipsPerClient) + " clips for you; ask again when they have come");
  }
}

void IntentHandler::deliver_clips() {
  if (!room_.clips) return;
  for (auto& clip : room_.clips->take_finished()) {
    Session* session = sessions_.find(clip.session_serial);
    if (!session) continue;  // left meanwhile
    const auto bytes = encode(clip.data);
    if (net::send(session->peer, kClipChannel, bytes)) room_.counters.bytes_sent += bytes.size();
  }
}

void IntentHandler::on_inspect(Session& session, const InspectRequest& request) {
  ItemDetails details;
  details.request_id = request.request_id;
  details.item_index = request.item_index;
  if (request.item_index >= room_.item_ids.size()) {
    details.error = "item " + std::to_string(request.item_index) + " does not exist (the dataset holds " +
                    std::to_string(room_.item_ids.size()) + " items)";
    net::send_message(session.peer, kControlChannel, details);
    return;
  }
  details.item_id = room_.item_ids[request.item_index];
  // The history trails the newest acknowledgement by moments: a short wait for it, never long.
  room_.writer->wait_idle_for(std::chrono::milliseconds(50));
  try {
    details.source = annotation::item_source(room_.db, details.item_id);
    for (auto& a : annotation::item_history(room_.db, details.item_id, wire::kMaxHistoryEntries)) {
      details.history.push_back({a.class_id, std::move(a.annotator), std::move(a.at), annotation::origin_name(a.origin)});
    }
    details.found = true;
  } catch (const std::exception& e) {
    // A store that cannot be read costs this answer, never the room.
    spdlog::error("inspecting item {} for {} failed: {}", details.item_id, session.identity.user_name, e.what());
    details.error = "the server cannot read this item's history now: " + store::client_reason(e);
  }
  net::send_message(session.peer, kControlChannel, details);
}

}  // namespace lodestone::room
