#pragma once
// Spheres in the store and the undo of an annotator's last labelling action.
#include "annotation/label_store.h"

namespace lodestone::annotation {

std::vector<Sphere> live_spheres(store::Database& db, std::int64_t dataset_id);
std::optional<Sphere> find_sphere(store::Database& db, SphereId id);
Sphere create_sphere(store::Database& db, std::int64_t dataset_id, UserId owner, Vec3 center, float radius);
void update_sphere(store::Database& db, const Sphere& sphere);
void delete_sphere(store::Database& db, SphereId id);

// Reverts the newest not-yet-undone labelling action of `user`: each item it labelled
// returns to its previous label, unless someone has labelled it since (theirs stands).
// New annotations record the undo; history is kept. Returns the changes made, empty when
// there is nothing to undo. Runs in the caller's transaction.
std::vector<LabelChange> undo_last_action(store::Database& db, UserId user);

}  // namespace lodestone::annotation
