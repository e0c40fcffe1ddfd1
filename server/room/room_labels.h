#pragma once
// Every item's standing label as the room holds it, in one representation: a class id
// (kNoClass: unlabelled), who gave it, and where it came from. Class ids are what the
// store, the writer and the wire speak; the model and the label set's order speak
// positions. The conversions between the two are here and nowhere else.
#include "annotation/label_store.h"
#include "learning/trainer.h"
#include "lodestone/messages.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace lodestone::room {

// A stored change to one item's label, by item index.
using IndexedChange = std::pair<std::uint32_t, annotation::LabelChange>;

class RoomLabels {
 public:
  // `positions` and `truth`: class positions in `set` per item (-1: none), as the
  // dataset was loaded; `labelled_by` and `origins` per item (empty: nobody, manual).
  RoomLabels(LabelSet set, const std::vector<int>& positions, std::vector<UserId> labelled_by,
             std::vector<annotation::LabelOrigin> origins, std::vector<int> truth);

  const LabelSet& label_set() const { return set_; }
  std::size_t size() const { return classes_.size(); }
  ClassId class_of(std::size_t item) const { return classes_[item]; }
  // The item's class position in the label set (-1: unlabelled).
  int position_of(std::size_t item) const;
  UserId labelled_by(std::size_t item) const { return labelled_by_[item]; }
  annotation::LabelOrigin origin(std::size_t item) const { return origins_[item]; }
  // The true class's position (-1: unknown); for calibration only.
  int truth_position(std::size_t item) const { return truth_[item]; }
  bool knows(ClassId id) const { return class_position(set_, id) >= 0; }
  // The id of the class at `position` in the label set (kNoClass when out of range).
  ClassId id_at(int position) const;

  std::size_t labelled_count() const;
  std::size_t count_by(UserId user) const;
  // Labelled items per class, by position in the label set.
  std::vector<std::uint32_t> per_class() const;
  // Every standing label, for a joining client or after the label set changed.
  std::vector<ItemLabel> all() const;
  // Every item's class position (-1: none): what the model trains on, whole.
  std::vector<int> positions() const;

  // Stored changes by `user`: the room's labels follow them. Returns the same changes as
  // the model sees them (class positions), for the trainer, and as clients see them.
  std::vector<learning::LabelUpdate> apply(UserId user, const std::vector<IndexedChange>& written,
                                           std::vector<ItemLabel>& told);
  // A new label set: ids stay what they are, positions follow the new order;
  // `relabelled` (by `lead`) says what a merged or retired class's labels became.
  // `new_of_old`: for each class position before, its position after (-1: retired).
  void change_label_set(LabelSet after, const std::vector<int>& new_of_old, UserId lead,
                        const std::vector<IndexedChange>& relabelled);

 private:
  LabelSet set_;
  std::vector<ClassId> classes_;
  std::vector<UserId> labelled_by_;
  std::vector<annotation::LabelOrigin> origins_;
  std::vector<int> truth_;
};

}  // namespace lodestone::room
