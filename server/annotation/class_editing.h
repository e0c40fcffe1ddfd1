#pragma once
// A lead's edits to the label set: create, rename / recolour / reorder, merge one class
// into another, delete. Each runs in one transaction and is recorded in the audit log.
// Merged and deleted classes are retired (their past annotations keep naming them);
// their items get a new annotation by the lead: the target class, or no label.
#include "annotation/label_store.h"
#include "store/database.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::annotation {

struct ClassEditError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ClassEdit {
  LabelSet before, after;
  // For each class of `after`, its position in `before` (-1: new); for each class of
  // `before`, its position in `after` (-1: retired with its labels erased).
  std::vector<int> old_of_new, new_of_old;
  std::vector<LabelChange> relabelled;  // annotations the edit wrote
  std::string summary;                  // for the lead ("class 'seven' merged into 'one'")
};

ClassEdit create_class(store::Database& db, std::int64_t dataset_id, UserId lead, const std::string& name,
                       std::uint32_t color);
// Empty name, colour 0 or position < 0 leave that property as it is.
ClassEdit edit_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId id,
                     const std::string& name, std::uint32_t color, int position);
ClassEdit merge_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId from, ClassId into);
ClassEdit delete_class(store::Database& db, std::int64_t dataset_id, UserId lead, ClassId id);

}  // namespace lodestone::annotation
