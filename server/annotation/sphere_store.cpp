#include "annotation/sphere_store.h"

namespace lodestone::annotation {
namespace {

constexpr const char* kSelect =
    "SELECT id, owner_id, center_x, center_y, center_z, radius, class_id FROM spheres";

Sphere read(store::Statement& q) {
  return {q.int64(0), q.int64(1),
          {static_cast<float>(q.real(2)), static_cast<float>(q.real(3)), static_cast<float>(q.real(4))},
          static_cast<float>(q.real(5)), q.is_null(6) ? kNoClass : q.int64(6)};
}

}  // namespace

std::vector<Sphere> live_spheres(store::Database& db, std::int64_t dataset_id) {
  std::vector<Sphere> all;
  auto q = db.prepare(std::string(kSelect) + " WHERE dataset_id = ? AND deleted_at IS NULL ORDER BY id");
  q.bind(1, dataset_id);
  while (q.step()) all.push_back(read(q));
  return all;
}

std::optional<Sphere> find_sphere(store::Database& db, SphereId id) {
  auto q = db.prepare(std::string(kSelect) + " WHERE id = ? AND deleted_at IS NULL");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

Sphere create_sphere(store::Database& db, std::int64_t dataset_id, UserId owner, Vec3 center, float radius) {
  db.prepare("INSERT INTO spheres (dataset_id, owner_id, center_x, center_y, center_z, radius)"
             " VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, dataset_id).bind(2, owner).bind(3, double{center.x}).bind(4, double{center.y})
      .bind(5, double{center.z}).bind(6, double{radius}).run();
  return {db.last_insert_id(), owner, center, radius, kNoClass};
}

void update_sphere(store::Database& db, const Sphere& s) {
  auto q = db.prepare("UPDATE spheres SET center_x = ?, center_y = ?, center_z = ?, radius = ?, class_id = ?"
                      " WHERE id = ?");
  q.bind(1, double{s.center.x}).bind(2, double{s.center.y}).bind(3, double{s.center.z})
      .bind(4, double{s.radius});
  if (s.class_id == kNoClass) q.bind_null(5); else q.bind(5, s.class_id);
  q.bind(6, s.id).run();
}

void delete_sphere(store::Database& db, SphereId id) {
  db.prepare("UPDATE spheres SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?")
      .bind(1, id).run();
}

std::vector<LabelChange> undo_last_action(store::Database& db, UserId user) {
  auto find = db.prepare(
      "SELECT id FROM audit_log WHERE actor_id = ? AND action IN ('label.assign', 'label.erase', 'label.accept')"
      " AND id NOT IN (SELECT CAST(detail AS INTEGER) FROM audit_log WHERE action = 'label.undo')"
      " ORDER BY id DESC LIMIT 1");
  find.bind(1, user);
  if (!find.step()) return {};
  const std::int64_t action = find.int64(0);

  std::vector<LabelChange> restore;
  auto annotations = db.prepare(
      "SELECT a.item_id, p.class_id, p.origin FROM annotations a LEFT JOIN annotations p ON p.id = a.supersedes_id"
      " WHERE a.action_id = ? AND a.id = (SELECT MAX(id) FROM annotations WHERE item_id = a.item_id)");
  annotations.bind(1, action);
  while (annotations.step()) {
    // The label the action replaced comes back as it was given (an accepted one stays accepted).
    restore.push_back({annotations.int64(0), annotations.is_null(1) ? kNoClass : annotations.int64(1),
                       annotations.is_null(2) ? LabelOrigin::Manual : origin_from(annotations.text(2))});
  }
  const auto undo = record_action(db, user, "label.undo", std::to_string(action));
  return write_annotations(db, user, std::nullopt, restore, undo, /*in_transaction=*/true);
}

}  // namespace lodestone::annotation
