#pragma once
// Label sets, users and annotations in the store. Annotations are appended, never
// updated: an item's label is its newest annotation, and each one records the one it
// supersedes, who made it, when, and with which sphere.
#include "lodestone/messages.h"
#include "store/database.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::annotation {

// The dataset's label set, creating it on first use. A new label set takes its class
// names from the dataset's ground truth (names only, no labels), so a team labelling
// MNIST starts with the ten digits; a dataset without ground truth starts empty.
LabelSet ensure_label_set(store::Database& db, std::int64_t dataset_id);

// The colour a new class gets: a fixed palette of distinguishable colours, cycled.
std::uint32_t palette_colour(std::size_t index);

UserId ensure_user(store::Database& db, const std::string& name);

// Where a label came from: a person's choice of class, or the model's prediction that a
// person accepted. Stored with every annotation; exports carry it.
enum class LabelOrigin { Manual, Accepted };
const char* origin_name(LabelOrigin origin);  // "manual", "accepted"
LabelOrigin origin_from(const std::string& name);  // unknown names read as manual

struct LabelChange {
  ItemId item_id = 0;
  ClassId class_id = kNoClass;  // kNoClass erases the item's label
  LabelOrigin origin = LabelOrigin::Manual;
};

// Appends one annotation per change; returns the changes written (those that would not
// alter an item's current label are skipped). Runs in its own transaction unless the
// caller holds one (`in_transaction`). `action_id` groups the annotations of one intent.
std::vector<LabelChange> write_annotations(store::Database& db, UserId annotator,
                                           std::optional<SphereId> sphere,
                                           const std::vector<LabelChange>& changes,
                                           std::optional<std::int64_t> action_id = std::nullopt,
                                           bool in_transaction = false);

// Records an action in the audit log; returns its id.
std::int64_t record_action(store::Database& db, std::optional<UserId> actor, const std::string& action,
                           const std::string& detail);

// Each labelled item's current class (erased items are absent).
std::map<ItemId, ClassId> current_labels(store::Database& db, std::int64_t dataset_id);
// Who gave each labelled item its standing label (the newest annotation, pending batches
// included).
std::map<ItemId, UserId> current_labellers(store::Database& db, std::int64_t dataset_id);
// Where each standing label came from (pending batches included).
std::map<ItemId, LabelOrigin> current_origins(store::Database& db, std::int64_t dataset_id);

// One item's annotations, newest first (at most `limit`), with the annotator's name.
struct ItemAnnotation {
  ClassId class_id = kNoClass;  // kNoClass: an erase
  std::string annotator, at;
  LabelOrigin origin = LabelOrigin::Manual;
};
std::vector<ItemAnnotation> item_history(store::Database& db, ItemId item, std::size_t limit);
// Where the item came from (a file path, or its index in the source file); empty if unknown.
std::string item_source(store::Database& db, ItemId item);

// Items whose current label differs from another annotator's earlier label for it.
std::size_t conflict_count(store::Database& db, std::int64_t dataset_id);

// Items whose annotators disagree, with every annotator's newest label for each (oldest
// items first, at most `limit`).
struct Conflict {
  ItemId item_id = 0;
  std::vector<std::pair<UserId, ClassId>> labels;  // annotator → their newest class
};
std::vector<Conflict> list_conflicts(store::Database& db, std::int64_t dataset_id, std::size_t limit);

// Per annotator of the dataset: annotations made (superseded ones included) and when last.
struct AnnotatorActivity {
  UserId user_id = 0;
  std::string name;
  std::size_t annotations = 0;
  std::string last_at;
};
std::vector<AnnotatorActivity> annotator_activity(store::Database& db, std::int64_t dataset_id);

}  // namespace lodestone::annotation
