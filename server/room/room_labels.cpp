#include "room/room_labels.h"

#include <algorithm>

namespace lodestone::room {

RoomLabels::RoomLabels(LabelSet set, const std::vector<int>& positions, std::vector<UserId> labelled_by,
                       std::vector<annotation::LabelOrigin> origins, std::vector<int> truth)
    : set_(std::move(set)),
      labelled_by_(std::move(labelled_by)),
      origins_(std::move(origins)),
      truth_(std::move(truth)) {
  classes_.reserve(positions.size());
  for (int p : positions) classes_.push_back(id_at(p));
  labelled_by_.resize(classes_.size(), 0);
  origins_.resize(classes_.size(), annotation::LabelOrigin::Manual);
  truth_.resize(classes_.size(), -1);
}

ClassId RoomLabels::id_at(int position) const {
  if (position < 0 || static_cast<std::size_t>(position) >= set_.classes.size()) return kNoClass;
  return set_.classes[static_cast<std::size_t>(position)].id;
}

int RoomLabels::position_of(std::size_t item) const {
  return classes_[item] == kNoClass ? -1 : class_position(set_, classes_[item]);
}

std::size_t RoomLabels::labelled_count() const {
  return static_cast<std::size_t>(std::count_if(classes_.begin(), classes_.end(), [](ClassId c) { return c != kNoClass; }));
}

std::size_t RoomLabels::count_by(UserId user) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < classes_.size(); ++i) n += classes_[i] != kNoClass && labelled_by_[i] == user;
  return n;
}

std::vector<std::uint32_t> RoomLabels::per_class() const {
  std::vector<std::uint32_t> counts(set_.classes.size(), 0);
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (const int p = position_of(i); p >= 0) ++counts[static_cast<std::size_t>(p)];
  }
  return counts;
}

std::vector<ItemLabel> RoomLabels::all() const {
  std::vector<ItemLabel> out;
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (classes_[i] != kNoClass) out.push_back({static_cast<std::uint32_t>(i), classes_[i], labelled_by_[i]});
  }
  return out;
}

std::vector<int> RoomLabels::positions() const {
  std::vector<int> out(classes_.size());
  for (std::size_t i = 0; i < classes_.size(); ++i) out[i] = position_of(i);
  return out;
}

std::vector<learning::LabelUpdate> RoomLabels::apply(UserId user, const std::vector<IndexedChange>& written,
                                                     std::vector<ItemLabel>& told) {
  std::vector<learning::LabelUpdate> updates;
  updates.reserve(written.size());
  told.reserve(told.size() + written.size());
  for (const auto& [index, change] : written) {
    classes_[index] = change.class_id;
    labelled_by_[index] = user;
    origins_[index] = change.origin;
    updates.push_back({index, position_of(index)});
    told.push_back({index, change.class_id, user});
  }
  return updates;
}

void RoomLabels::change_label_set(LabelSet after, const std::vector<int>& new_of_old, UserId lead,
                                  const std::vector<IndexedChange>& relabelled) {
  set_ = std::move(after);
  for (const auto& [index, change] : relabelled) {
    classes_[index] = change.class_id;
    labelled_by_[index] = lead;
  }
  // A label whose class left the set without a relabelling (none should) is no label.
  for (auto& c : classes_) {
    if (c != kNoClass && !knows(c)) c = kNoClass;
  }
  for (int& t : truth_) {
    if (t >= 0) t = static_cast<std::size_t>(t) < new_of_old.size() ? new_of_old[static_cast<std::size_t>(t)] : -1;
  }
}

}  // namespace lodestone::room
