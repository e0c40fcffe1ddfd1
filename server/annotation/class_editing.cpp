#include "annotation/class_editing.h"

#include <algorithm>

namespace lodestone::annotation {
namespace {

const ClassInfo& find_class(const LabelSet& set, ClassId id) {
  for (const auto& c : set.classes) {
    if (c.id == id) return c;
  }
  throw ClassEditError("there is no class with id " + std::to_string(id) + " in the label set");
}

void check_name(const LabelSet& set, const std::string& name, ClassId except) {
  if (name.empty()) throw ClassEditError("a class needs a name");
  if (name.size() > 64) throw ClassEditError("class names are at most 64 bytes");
  for (const auto& c : set.classes) {
    if (c.name == name && c.id != except) throw ClassEditError("a class named '" + name + "' already exists");
  }
}

// Positions are 0..n-1 in display order; the model's class index is the position.
void renumber(store::Database& db, const std::vector<ClassId>& order) {
  auto update = db.prepare("UPDATE classes SET position = ? WHERE id = ?");
  for (std::size_t i = 0; i < order.size(); ++i) update.bind(1, static_cast<std::int64_t>(i)).bind(2, order[i]).run();
}

std::vector<ClassId> ids_of(const LabelSet& set) {
  std::vector<ClassId> ids;
  for (const auto& c : set.classes) ids.push_back(c.id);
  return ids;
}

ClassEdit finish(store::Database& db, std::int64_t dataset_id, LabelSet before, ClassId retired_into_or_none,
                 ClassId retired, std::string summary) {
  ClassEdit edit;
  edit.before = std::move(before);
  edit.after = ensure_label_set(db, dataset_id);
  edit.summary = std::move(summary);
  edit.new_of_old.assign(edit.before.classes.size(), -1);
  for (std::size_t i = 0; i < edit.before.classes.size(); ++i) {
    ClassId id = edit.before.classes[i].id;
    if (id == retired) id = retired_into_or_none;
    edit.new_of_old[i] = class_position(edit.after, id);
  }
  edit.old_of_new.assign(edit.after.classes.size(), -1);
  for (std::size_t i = 0; i < edit.after.classes.size(); ++i) {
    edit.old_of_new[i] = class_position(edit.before, edit.after.classes[i].id);
  }
  return edit;
}

// Moves (or erases, into = kNoClass) the current labels of `from`, as the lead's annotations.
std::vector<LabelChange> relabel(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId from,
                                 ClassId into, std::int64_t action_id) {
  std::vector<LabelChange> changes;
  for (const auto& [item, cls] : current_labels(db, dataset_id)) {
    if (cls == from) changes.push_back({item, into});
  }
  return write_annotations(db, lead, std::nullopt, changes, action_id, /*in_transaction=*/true);
}

void retire(store::Database& db, ClassId id, ClassId into) {
  // The name is freed for a new class; the retired row keeps it in its suffix.
  db.prepare("UPDATE classes SET retired_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
             " name = name || ' (retired ' || id || ')' WHERE id = ?")
      .bind(1, id)
      .run();
  auto spheres = db.prepare("UPDATE spheres SET class_id = ? WHERE class_id = ? AND deleted_at IS NULL");
  if (into == kNoClass) spheres.bind_null(1); else spheres.bind(1, into);
  spheres.bind(2, id).run();
}

}  // namespace

ClassEdit create_class(store::Database& db, std::int64_t dataset_id, UserId lead, const std::string& name,
                       std::uint32_t color) {
  const auto before = ensure_label_set(db, dataset_id);
  check_name(before, name, kNoClass);
  if (before.classes.size() >= wire::kMaxClasses) throw ClassEditError("the label set is full");
  store::Transaction tx(db);
  db.prepare("INSERT INTO classes (label_set_id, name, color, position) VALUES (?, ?, ?, ?)")
      .bind(1, before.label_set_id)
      .bind(2, name)
      .bind(3, static_cast<std::int64_t>(color ? color : palette_colour(before.classes.size())))
      .bind(4, static_cast<std::int64_t>(before.classes.size()))
      .run();
  record_action(db, lead, "class.create", name);
  tx.commit();
  return finish(db, dataset_id, before, kNoClass, kNoClass, "class '" + name + "' created");
}

ClassEdit edit_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId id,
                     const std::string& name, std::uint32_t color, int position) {
  const auto before = ensure_label_set(db, dataset_id);
  const auto old = find_class(before, id);
  if (!name.empty()) check_name(before, name, id);
  if (position >= static_cast<int>(before.classes.size())) {
    throw ClassEditError("position " + std::to_string(position) + " is past the last class");
  }
  store::Transaction tx(db);
  std::vector<std::string> changed;
  if (!name.empty() && name != old.name) {
    db.prepare("UPDATE classes SET name = ? WHERE id = ?").bind(1, name).bind(2, id).run();
    changed.push_back("renamed to '" + name + "'");
  }
  if (color != 0 && color != old.color) {
    db.prepare("UPDATE classes SET color = ? WHERE id = ?").bind(1, static_cast<std::int64_t>(color)).bind(2, id).run();
    changed.push_back("recoloured");
  }
  if (position >= 0 && position != class_position(before, id)) {
    auto order = ids_of(before);
    order.erase(std::find(order.begin(), order.end(), id));
    order.insert(order.begin() + position, id);
    renumber(db, order);
    changed.push_back("moved to position " + std::to_string(position));
  }
  std::string summary = "class '" + old.name + "'";
  for (std::size_t i = 0; i < changed.size(); ++i) summary += (i ? ", " : " ") + changed[i];
  if (changed.empty()) summary += " unchanged";
  record_action(db, lead, "class.edit", summary);
  tx.commit();
  return finish(db, dataset_id, before, kNoClass, kNoClass, summary);
}

namespace {

// Retires `id`, moving its current labels to `into` (kNoClass: erasing them), in one
// transaction recorded in the audit log as `action` with `detail`.
ClassEdit retire_class(store::Database& db, std::int64_t dataset_id, UserId lead, const LabelSet& before, ClassId id,
                       ClassId into, const std::string& action, const std::string& detail) {
  store::Transaction tx(db);
  const auto action_id = record_action(db, lead, action, detail);
  auto written = relabel(db, dataset_id, lead, id, into, action_id);
  retire(db, id, into);
  auto order = ids_of(before);
  order.erase(std::find(order.begin(), order.end(), id));
  renumber(db, order);
  tx.commit();
  const auto count = std::to_string(written.size());
  auto edit = finish(db, dataset_id, before, into, id,
                     into == kNoClass ? "class '" + find_class(before, id).name + "' deleted (" + count + " labels erased)"
                                      : "class '" + find_class(before, id).name + "' merged into '" +
                                            find_class(before, into).name + "' (" + count + " items moved)");
  edit.relabelled = std::move(written);
  return edit;
}

}  // namespace

ClassEdit merge_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId from, ClassId into) {
  const auto before = ensure_label_set(db, dataset_id);
  const auto source = find_class(before, from);
  const auto target = find_class(before, into);
  if (from == into) throw ClassEditError("a class cannot be merged into itself");
  return retire_class(db, dataset_id, lead, before, from, into, "class.merge", source.name + " into " + target.name);
}

ClassEdit delete_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId id) {
  const auto before = ensure_label_set(db, dataset_id);
  const auto victim = find_class(before, id);
  if (before.classes.size() == 1) throw ClassEditError("the last class of a label set cannot be deleted");
  return retire_class(db, dataset_id, lead, before, id, kNoClass, "class.delete", victim.name);
}

}  // namespace lodestone::annotation
