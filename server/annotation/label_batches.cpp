#include "annotation/label_batches.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lodestone::annotation {
namespace {

constexpr std::size_t kIdBytes = 8;

std::vector<std::uint8_t> pack(const std::vector<ItemId>& items) {
  std::vector<std::uint8_t> bytes(items.size() * kIdBytes);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto id = static_cast<std::uint64_t>(items[i]);
    for (std::size_t b = 0; b < kIdBytes; ++b) bytes[i * kIdBytes + b] = static_cast<std::uint8_t>(id >> (8 * b));
  }
  return bytes;
}

ItemId unpack(const std::vector<std::uint8_t>& bytes, std::size_t index) {
  std::uint64_t id = 0;
  for (std::size_t b = 0; b < kIdBytes; ++b) id |= std::uint64_t{bytes[index * kIdBytes + b]} << (8 * b);
  return static_cast<ItemId>(id);
}

}  // namespace

void store_label_batch(store::Database& db, std::int64_t dataset_id, UserId annotator, std::optional<SphereId> sphere,
                       ClassId class_id, std::int64_t action_id, const std::vector<ItemId>& items,
                       LabelOrigin origin) {
  if (items.empty()) return;
  auto insert = db.prepare(
      "INSERT INTO label_batches (dataset_id, action_id, annotator_id, sphere_id, class_id, item_ids, origin)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, dataset_id).bind(2, action_id).bind(3, annotator).bind(4, sphere);
  if (class_id == kNoClass) insert.bind_null(5); else insert.bind(5, class_id);
  insert.bind_blob(6, pack(items)).bind(7, origin_name(origin)).run();
}

std::size_t apply_label_batches(store::Database& db, std::size_t max_items) {
  store::Transaction tx(db);
  auto oldest = db.prepare(
      "SELECT id, action_id, annotator_id, sphere_id, class_id, item_ids, applied, created_at, origin"
      " FROM label_batches ORDER BY id LIMIT 1");
  auto latest = db.prepare("SELECT id FROM annotations WHERE item_id = ? ORDER BY id DESC LIMIT 1");
  // The batch's time, not this moment's: the history says when the label was acknowledged.
  auto insert = db.prepare(
      "INSERT INTO annotations (item_id, class_id, annotator_id, sphere_id, supersedes_id, action_id, created_at,"
      " origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  std::size_t written = 0;
  while (written < max_items) {
    if (!oldest.step()) break;
    // Copied out before the batch row is updated or deleted (0: NULL; ids start at 1).
    const std::int64_t batch = oldest.int64(0), action = oldest.int64(1), annotator = oldest.int64(2);
    const std::int64_t sphere = oldest.is_null(3) ? 0 : oldest.int64(3);
    const std::int64_t class_id = oldest.is_null(4) ? 0 : oldest.int64(4);
    const auto bytes = oldest.blob(5);
    const auto applied = static_cast<std::size_t>(oldest.int64(6));
    const std::string created_at = oldest.text(7), origin = oldest.text(8);
    oldest.reset();
    const std::size_t count = bytes.size() / kIdBytes;
    if (bytes.size() % kIdBytes != 0 || applied > count) {
      throw std::runtime_error("label batch " + std::to_string(batch) + " is damaged: its item list is " +
                               std::to_string(bytes.size()) + " bytes and " + std::to_string(applied) +
                               " of its items are marked written");
    }
    const std::size_t until = std::min(count, applied + (max_items - written));
    for (std::size_t i = applied; i < until; ++i) {
      const ItemId item = unpack(bytes, i);
      latest.bind(1, item);
      const bool superseding = latest.step();
      const std::int64_t previous = superseding ? latest.int64(0) : 0;
      latest.reset();
      insert.bind(1, item).bind(3, annotator).bind(6, action).bind(7, created_at).bind(8, origin);
      if (class_id != 0) insert.bind(2, class_id); else insert.bind_null(2);
      if (sphere != 0) insert.bind(4, sphere); else insert.bind_null(4);
      if (superseding) insert.bind(5, previous); else insert.bind_null(5);
      insert.run();
    }
    written += until - applied;
    if (until == count) {
      db.prepare("DELETE FROM label_batches WHERE id = ?").bind(1, batch).run();
    } else {
      db.prepare("UPDATE label_batches SET applied = ? WHERE id = ?")
          .bind(1, static_cast<std::int64_t>(until)).bind(2, batch).run();
    }
  }
  tx.commit();
  return written;
}

std::size_t apply_all_label_batches(store::Database& db) {
  // Chunks keep each transaction short, so a room serving beside this is never held up long.
  constexpr std::size_t kChunk = 4096;
  std::size_t total = 0;
  while (const std::size_t n = apply_label_batches(db, kChunk)) total += n;
  return total;
}

namespace {

// Every item of the batches not yet in the history, oldest first: (item, class or
// kNoClass for an erase, annotator, origin).
template <class Visit>
void for_each_pending_item(store::Database& db, std::int64_t dataset_id, Visit visit) {
  auto q = db.prepare(
      "SELECT class_id, item_ids, applied, annotator_id, origin FROM label_batches WHERE dataset_id = ? ORDER BY id");
  q.bind(1, dataset_id);
  while (q.step()) {
    const auto bytes = q.blob(1);
    const ClassId cls = q.is_null(0) ? kNoClass : q.int64(0);
    const LabelOrigin origin = origin_from(q.text(4));
    for (auto i = static_cast<std::size_t>(q.int64(2)); i < bytes.size() / kIdBytes; ++i) {
      visit(unpack(bytes, i), cls, q.int64(3), origin);
    }
  }
}

}  // namespace

void overlay_pending_batches(store::Database& db, std::int64_t dataset_id, std::map<ItemId, ClassId>& labels) {
  for_each_pending_item(db, dataset_id, [&](ItemId item, ClassId cls, UserId, LabelOrigin) {
    if (cls == kNoClass) labels.erase(item); else labels[item] = cls;
  });
}

void overlay_pending_labellers(store::Database& db, std::int64_t dataset_id, std::map<ItemId, UserId>& labellers) {
  for_each_pending_item(db, dataset_id, [&](ItemId item, ClassId cls, UserId annotator, LabelOrigin) {
    if (cls == kNoClass) labellers.erase(item); else labellers[item] = annotator;
  });
}

void overlay_pending_origins(store::Database& db, std::int64_t dataset_id, std::map<ItemId, LabelOrigin>& origins) {
  for_each_pending_item(db, dataset_id, [&](ItemId item, ClassId cls, UserId, LabelOrigin origin) {
    if (cls == kNoClass) origins.erase(item); else origins[item] = origin;
  });
}

std::size_t pending_label_items(store::Database& db) {
  auto q = db.prepare("SELECT COALESCE(SUM(length(item_ids) / 8 - applied), 0) FROM label_batches");
  q.step();
  return static_cast<std::size_t>(q.int64(0));
}

}  // namespace lodestone::annotation
