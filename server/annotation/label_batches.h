#pragma once
// Label batches: how a label or an erase is stored when it is acknowledged. One row per
// act, with the changed items packed, so storing a sphere of 17,000 items costs one small
// insert instead of 17,000 (which took a few hundred milliseconds; the annotator waits for
// the acknowledgement). The per-item history in `annotations` (supersedes, conflicts,
// undo, export) is derived from the batches, oldest first, in chunks, by whoever holds the
// store: the room's annotation writer between intents, or any process opening the store
// (a killed server's batches are completed at the next start).
#include "annotation/label_store.h"
#include "lodestone/messages.h"
#include "store/database.h"

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

namespace lodestone::annotation {

// Stores one batch: `items` take `class_id` (kNoClass erases). The caller holds the
// transaction; the batch is acknowledged when it commits. `items` should be only those
// whose label changes (the history records changes).
void store_label_batch(store::Database& db, std::int64_t dataset_id, UserId annotator, std::optional<SphereId> sphere,
                       ClassId class_id, std::int64_t action_id, const std::vector<ItemId>& items,
                       LabelOrigin origin = LabelOrigin::Manual);

// Writes up to `max_items` items of the oldest batches into `annotations`, in one
// transaction of its own; returns how many it wrote (0: nothing is pending). Safe from any
// connection at any time: a batch is taken up where the last chunk left it.
std::size_t apply_label_batches(store::Database& db, std::size_t max_items);

// Applies every pending batch, chunk by chunk; returns the items written.
std::size_t apply_all_label_batches(store::Database& db);

// Items acknowledged in batches and not yet in `annotations`.
std::size_t pending_label_items(store::Database& db);

// Applies the dataset's pending batches, oldest first, to `labels` (item → class; an erase
// removes the item): current labels are exact before the history is written.
void overlay_pending_batches(store::Database& db, std::int64_t dataset_id, std::map<ItemId, ClassId>& labels);
// The same for who labelled each item (item → annotator; an erase removes the item).
void overlay_pending_labellers(store::Database& db, std::int64_t dataset_id, std::map<ItemId, UserId>& labellers);
// The same for where each standing label came from (item → origin).
void overlay_pending_origins(store::Database& db, std::int64_t dataset_id, std::map<ItemId, LabelOrigin>& origins);

}  // namespace lodestone::annotation
