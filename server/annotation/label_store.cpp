#include "annotation/label_store.h"

#include "annotation/label_batches.h"

#include <array>
#include <set>

namespace lodestone::annotation {

const char* origin_name(LabelOrigin origin) { return origin == LabelOrigin::Accepted ? "accepted" : "manual"; }

LabelOrigin origin_from(const std::string& name) {
  return name == "accepted" ? LabelOrigin::Accepted : LabelOrigin::Manual;
}

std::uint32_t palette_colour(std::size_t index) {
  static constexpr std::array<std::uint32_t, 12> kPalette = {
      0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4,
      0x46F0F0, 0xF032E6, 0xBCF60C, 0xFABEBE, 0x008080, 0xE6BEFF};
  return kPalette[index % kPalette.size()];
}

LabelSet ensure_label_set(store::Database& db, std::int64_t dataset_id) {
  LabelSet set;
  {
    auto q = db.prepare("SELECT id FROM label_sets WHERE dataset_id = ? ORDER BY id LIMIT 1");
    q.bind(1, dataset_id);
    if (q.step()) set.label_set_id = q.int64(0);
  }
  if (set.label_set_id == 0) {
    store::Transaction tx(db);
    db.prepare("INSERT INTO label_sets (dataset_id, name) VALUES (?, 'default')").bind(1, dataset_id).run();
    set.label_set_id = db.last_insert_id();
    std::set<std::string> names;
    auto truth = db.prepare(
        "SELECT DISTINCT g.class_name FROM ground_truth g JOIN items i ON i.id = g.item_id"
        " WHERE i.dataset_id = ?");
    truth.bind(1, dataset_id);
    while (truth.step()) names.insert(truth.text(0));
    auto insert = db.prepare("INSERT INTO classes (label_set_id, name, color, position) VALUES (?, ?, ?, ?)");
    std::size_t position = 0;
    for (const auto& name : names) {
      insert.bind(1, set.label_set_id)
          .bind(2, name)
          .bind(3, static_cast<std::int64_t>(palette_colour(position)))
          .bind(4, static_cast<std::int64_t>(position))
          .run();
      ++position;
    }
    db.prepare("INSERT INTO audit_log (action, detail) VALUES ('label_set.create', ?)")
        .bind(1, "dataset " + std::to_string(dataset_id) + ", " + std::to_string(names.size()) + " classes")
        .run();
    tx.commit();
  }
  auto classes = db.prepare("SELECT id, name, color, position FROM classes WHERE label_set_id = ? AND retired_at IS NULL"
                              " ORDER BY position, id");
  classes.bind(1, set.label_set_id);
  while (classes.step()) {
    set.classes.push_back({classes.int64(0), classes.text(1), static_cast<std::uint32_t>(classes.int64(2)),
                           static_cast<std::uint32_t>(classes.int64(3))});
  }
  return set;
}

UserId ensure_user(store::Database& db, const std::string& name) {
  auto find = db.prepare("SELECT id FROM users WHERE name = ?");
  find.bind(1, name);
  if (find.step()) return find.int64(0);
  auto count = db.prepare("SELECT COUNT(*) FROM users");
  count.step();
  db.prepare("INSERT INTO users (name, color) VALUES (?, ?)")
      .bind(1, name)
      .bind(2, static_cast<std::int64_t>(palette_colour(static_cast<std::size_t>(count.int64(0)) + 3)))
      .run();
  return db.last_insert_id();
}

std::int64_t record_action(store::Database& db, std::optional<UserId> actor, const std::string& action,
                           const std::string& detail) {
  db.prepare("INSERT INTO audit_log (actor_id, action, detail) VALUES (?, ?, ?)")
      .bind(1, actor).bind(2, action).bind(3, detail).run();
  return db.last_insert_id();
}

std::vector<LabelChange> write_annotations(store::Database& db, UserId annotator,
                                           std::optional<SphereId> sphere,
                                           const std::vector<LabelChange>& changes,
                                           std::optional<std::int64_t> action_id, bool in_transaction) {
  std::optional<store::Transaction> tx;
  if (!in_transaction) tx.emplace(db);
  auto latest = db.prepare(
      "SELECT id, class_id FROM annotations WHERE item_id = ? ORDER BY id DESC LIMIT 1");
  auto insert = db.prepare(
      "INSERT INTO annotations (item_id, class_id, annotator_id, sphere_id, supersedes_id, action_id, origin)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  std::vector<LabelChange> written;
  for (const auto& change : changes) {
    latest.bind(1, change.item_id);
    std::optional<std::int64_t> previous;
    ClassId previous_class = kNoClass;
    if (latest.step()) {
      previous = latest.int64(0);
      previous_class = latest.is_null(1) ? kNoClass : latest.int64(1);
    }
    latest.reset();
    if ((previous && previous_class == change.class_id) || (!previous && change.class_id == kNoClass)) {
      continue;  // no change to record
    }
    insert.bind(1, change.item_id);
    if (change.class_id == kNoClass) insert.bind_null(2); else insert.bind(2, change.class_id);
    insert.bind(3, annotator).bind(4, sphere).bind(5, previous).bind(6, action_id).bind(7, origin_name(change.origin)).run();
    written.push_back(change);
  }
  if (tx) tx->commit();
  return written;
}

namespace {

// Each item's newest annotation that labels it (not an erase): (item, annotator, class, origin).
template <class Visit>
void for_each_standing_annotation(store::Database& db, std::int64_t dataset_id, Visit visit) {
  auto q = db.prepare(
      "SELECT a.item_id, a.annotator_id, a.class_id, a.origin FROM annotations a JOIN items i ON i.id = a.item_id"
      " WHERE i.dataset_id = ? AND a.id = (SELECT MAX(id) FROM annotations WHERE item_id = a.item_id)");
  q.bind(1, dataset_id);
  while (q.step()) {
    if (!q.is_null(2)) visit(q.int64(0), q.int64(1), q.int64(2), origin_from(q.text(3)));
  }
}

}  // namespace

std::map<ItemId, ClassId> current_labels(store::Database& db, std::int64_t dataset_id) {
  std::map<ItemId, ClassId> labels;
  for_each_standing_annotation(db, dataset_id, [&](ItemId item, UserId, ClassId cls, LabelOrigin) { labels[item] = cls; });
  overlay_pending_batches(db, dataset_id, labels);
  return labels;
}

std::map<ItemId, UserId> current_labellers(store::Database& db, std::int64_t dataset_id) {
  std::map<ItemId, UserId> by;
  for_each_standing_annotation(db, dataset_id, [&](ItemId item, UserId user, ClassId, LabelOrigin) { by[item] = user; });
  overlay_pending_labellers(db, dataset_id, by);
  return by;
}

std::map<ItemId, LabelOrigin> current_origins(store::Database& db, std::int64_t dataset_id) {
  std::map<ItemId, LabelOrigin> of;
  for_each_standing_annotation(db, dataset_id,
                               [&](ItemId item, UserId, ClassId, LabelOrigin origin) { of[item] = origin; });
  overlay_pending_origins(db, dataset_id, of);
  return of;
}

std::vector<ItemAnnotation> item_history(store::Database& db, ItemId item, std::size_t limit) {
  auto q = db.prepare(
      "SELECT a.class_id, u.name, a.created_at, a.origin FROM annotations a JOIN users u ON u.id = a.annotator_id"
      " WHERE a.item_id = ? ORDER BY a.id DESC LIMIT ?");
  q.bind(1, item).bind(2, static_cast<std::int64_t>(limit));
  std::vector<ItemAnnotation> out;
  while (q.step()) {
    out.push_back({q.is_null(0) ? kNoClass : q.int64(0), q.text(1), q.text(2), origin_from(q.text(3))});
  }
  return out;
}

std::string item_source(store::Database& db, ItemId item) {
  auto q = db.prepare("SELECT source FROM items WHERE id = ?");
  q.bind(1, item);
  return q.step() ? q.text(0) : std::string();
}

std::size_t conflict_count(store::Database& db, std::int64_t dataset_id) {
  // Grouped over the annotations alone (items only through their covering index): the
  // room thread calls this, so it must not touch the items' pixel rows.
  auto q = db.prepare(
      "SELECT COUNT(*) FROM (SELECT item_id FROM annotations"
      " WHERE class_id IS NOT NULL AND item_id IN (SELECT id FROM items WHERE dataset_id = ?)"
      " GROUP BY item_id HAVING COUNT(DISTINCT class_id) > 1 AND COUNT(DISTINCT annotator_id) > 1)");
  q.bind(1, dataset_id);
  q.step();
  return static_cast<std::size_t>(q.int64(0));
}

std::vector<Conflict> list_conflicts(store::Database& db, std::int64_t dataset_id, std::size_t limit) {
  auto q = db.prepare(
      "WITH disputed AS (SELECT item_id FROM annotations"
      "   WHERE class_id IS NOT NULL AND item_id IN (SELECT id FROM items WHERE dataset_id = ?)"
      "   GROUP BY item_id HAVING COUNT(DISTINCT class_id) > 1 AND COUNT(DISTINCT annotator_id) > 1"
      "   ORDER BY item_id LIMIT ?)"
      " SELECT a.item_id, a.annotator_id, a.class_id FROM annotations a JOIN disputed d ON d.item_id = a.item_id"
      " WHERE a.id = (SELECT MAX(id) FROM annotations b WHERE b.item_id = a.item_id AND b.annotator_id = a.annotator_id)"
      " ORDER BY a.item_id, a.annotator_id");
  q.bind(1, dataset_id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Conflict> out;
  while (q.step()) {
    const ItemId item = q.int64(0);
    if (out.empty() || out.back().item_id != item) out.push_back({item, {}});
    out.back().labels.emplace_back(q.int64(1), q.is_null(2) ? kNoClass : q.int64(2));
  }
  return out;
}

std::vector<AnnotatorActivity> annotator_activity(store::Database& db, std::int64_t dataset_id) {
  auto q = db.prepare(
      "SELECT u.id, u.name, COUNT(*), MAX(a.created_at) FROM annotations a JOIN users u ON u.id = a.annotator_id"
      " WHERE a.item_id IN (SELECT id FROM items WHERE dataset_id = ?) GROUP BY u.id ORDER BY u.name");
  q.bind(1, dataset_id);
  std::vector<AnnotatorActivity> out;
  while (q.step()) out.push_back({q.int64(0), q.text(1), static_cast<std::size_t>(q.int64(2)), q.text(3)});
  return out;
}

}  // namespace lodestone::annotation
