// Annotation intents: checked against the sender's role, decided on the server's own
// positions, stored in one transaction, and only then acknowledged and broadcast.
#include "annotation/sphere_store.h"
#include "room/room_server.h"

#include "lodestone/sphere_geometry.h"

#include <spdlog/spdlog.h>

#include <cmath>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;

bool finite(Vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

IntentResult refused(const Intent& intent, RefusalCode code, std::string reason) {
  return {intent.intent_id, false, intent.sphere_id, 0, code, std::move(reason)};
}

}  // namespace

void RoomServer::on_intent(Session& session, const Intent& intent) {
  const auto now = Clock::now();
  if (now - session.intent_window_start > std::chrono::seconds(1)) {
    session.intent_window_start = now;
    session.intents_in_window = 0;
  }
  IntentResult result;
  if (++session.intents_in_window > options_.max_intents_per_second) {
    result = refused(intent, RefusalCode::RateLimited, "too many intents; at most " +
                                                           std::to_string(options_.max_intents_per_second) +
                                                           " per second");
  } else {
    try {
      result = handle_intent(session, intent);
    } catch (const store::StoreError& e) {
      // Nothing was committed, so nothing is acknowledged; reads keep being served.
      spdlog::error("storing {}'s {} failed: {}", session.identity.user_name, intent_name(intent.kind), e.what());
      result = refused(intent, RefusalCode::StorageFailure, "the server could not store this: " + e.reason());
    }
  }
  // A flood is logged once per second, at its first refusal: one line per refused intent
  // would let a single peer fill the server's log at network speed.
  const bool first_of_flood = session.intents_in_window == options_.max_intents_per_second + 1;
  if (!result.accepted && (result.refusal != RefusalCode::RateLimited || first_of_flood)) {
    spdlog::info("refused {}'s {}: {}", session.identity.user_name, intent_name(intent.kind), result.reason);
  }
  net::send_message(session.peer, kControlChannel, result);
}

IntentResult RoomServer::handle_intent(Session& session, const Intent& intent) {
  const Role role = session.identity.role;
  const UserId user = session.identity.user_id;
  if (role == Role::Viewer) return refused(intent, RefusalCode::Forbidden, "viewers cannot change the room");

  if (intent.kind == IntentKind::Undo) {
    store::Transaction tx(db_);
    const auto undone = annotation::undo_last_action(db_, user);
    tx.commit();
    publish_stored_labels(user, undone);
    if (undone.empty()) return refused(intent, RefusalCode::NotFound, "nothing of yours to undo");
    return {intent.intent_id, true, 0, static_cast<std::uint32_t>(undone.size()), RefusalCode::Malformed, ""};
  }

  const float max_radius = options_.room.max.x - options_.room.min.x;
  if (intent.kind == IntentKind::CreateSphere) {
    if (!finite(intent.center) || !(intent.radius > 0) || intent.radius > max_radius) {
      return refused(intent, RefusalCode::Malformed, "a sphere needs a finite centre and a radius in (0, " +
                                                         std::to_string(max_radius) + "]");
    }
    const auto sphere = annotation::create_sphere(db_, dataset_.description.dataset_id, user, intent.center,
                                                  intent.radius);
    broadcast(encode(SphereUpdate{sphere}), kControlChannel);
    return {intent.intent_id, true, sphere.id, 0, RefusalCode::Malformed, ""};
  }

  auto sphere = annotation::find_sphere(db_, intent.sphere_id);
  if (!sphere) return refused(intent, RefusalCode::NotFound, "sphere " + std::to_string(intent.sphere_id) + " does not exist");
  if (role != Role::Lead && sphere->owner_id != user) {
    return refused(intent, RefusalCode::Forbidden, "annotators may change only their own spheres");
  }
  switch (intent.kind) {
    case IntentKind::MoveSphere:
    case IntentKind::ResizeSphere:
      if (intent.kind == IntentKind::MoveSphere) {
        if (!finite(intent.center)) return refused(intent, RefusalCode::Malformed, "the centre must be finite");
        sphere->center = intent.center;
      } else {
        if (!(intent.radius > 0) || intent.radius > max_radius) {
          return refused(intent, RefusalCode::Malformed, "the radius must be in (0, " + std::to_string(max_radius) + "]");
        }
        sphere->radius = intent.radius;
      }
      annotation::update_sphere(db_, *sphere);
      broadcast(encode(SphereUpdate{*sphere}), kControlChannel);
      return {intent.intent_id, true, sphere->id, 0, RefusalCode::Malformed, ""};
    case IntentKind::DeleteSphere:
      annotation::delete_sphere(db_, sphere->id);
      broadcast(encode(SphereRemoved{sphere->id}), kControlChannel);
      return {intent.intent_id, true, sphere->id, 0, RefusalCode::Malformed, ""};
    case IntentKind::AssignClass:
      if (class_position(dataset_.label_set, intent.class_id) < 0) {
        return refused(intent, RefusalCode::NotFound, "class " + std::to_string(intent.class_id) + " is not in the label set");
      }
      return label_inside(session, intent, *sphere, false);
    case IntentKind::EraseLabels:
      return label_inside(session, intent, *sphere, true);
    default:
      return refused(intent, RefusalCode::Malformed, "unknown intent");
  }
}

IntentResult RoomServer::label_inside(const Session& session, const Intent& intent, const Sphere& sphere, bool erase) {
  const UserId user = session.identity.user_id;
  // Membership on the positions clients are shown right now: what the annotator saw inside.
  const auto inside = points_inside(stream_.display(), sphere.center, sphere.radius);
  std::vector<annotation::LabelChange> wanted;
  wanted.reserve(inside.size());
  for (auto index : inside) wanted.push_back({dataset_.item_ids[index], erase ? kNoClass : intent.class_id});

  Sphere updated = sphere;
  if (!erase) updated.class_id = intent.class_id;
  store::Transaction tx(db_);
  const auto action = annotation::record_action(
      db_, user, erase ? "label.erase" : "label.assign",
      "sphere " + std::to_string(sphere.id) + ", " + std::to_string(inside.size()) + " items");
  const auto written = annotation::write_annotations(db_, user, sphere.id, wanted, action, /*in_transaction=*/true);
  if (!erase) annotation::update_sphere(db_, updated);
  tx.commit();  // durable from here: only now may anyone hear of it

  if (!erase) broadcast(encode(SphereUpdate{updated}), kControlChannel);
  publish_stored_labels(user, written);
  return {intent.intent_id, true, sphere.id, static_cast<std::uint32_t>(written.size()), RefusalCode::Malformed, ""};
}


void RoomServer::publish_stored_labels(UserId user, const std::vector<annotation::LabelChange>& written) {
  if (written.empty()) return;
  std::vector<ItemLabel> changes;
  changes.reserve(written.size());
  for (const auto& c : written) {
    const auto index = index_of_.at(c.item_id);
    dataset_.labels[index] = c.class_id == kNoClass ? -1 : class_position(dataset_.label_set, c.class_id);
    dataset_.labelled_by[index] = user;
    changes.push_back({index, c.class_id, user});
  }
  counters_.annotations_acknowledged += written.size();
  broadcast(encode(LabelsChanged{false, changes}), kControlChannel);
  trainer_.set_labels(dataset_.labels);
}

}  // namespace lodestone::room
