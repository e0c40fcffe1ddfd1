#include "app/annotation_replay.h"

#include "learning/learner.h"

#include <algorithm>
#include <unordered_map>

namespace lodestone::server {

AnnotationReplay::AnnotationReplay(store::Database& db, const LearningContext& context)
    : final_labels_(context.labels), made_at_(context.item_count(), 0.0) {
  std::unordered_map<std::int64_t, std::size_t> position;
  for (std::size_t i = 0; i < context.item_count(); ++i) position[context.items.item_ids[i]] = i;
  // julianday: days as a real number, so SQLite parses the timestamps.
  auto q = db.prepare(
      "SELECT a.item_id, julianday(MAX(a.created_at)) FROM annotations a JOIN items i ON i.id = a.item_id"
      " WHERE i.dataset_id = ? GROUP BY a.item_id");
  q.bind(1, context.dataset.id);
  std::vector<std::pair<std::size_t, double>> made;
  while (q.step()) {
    const auto found = position.find(q.int64(0));
    if (found != position.end() && final_labels_[found->second] >= 0) made.emplace_back(found->second, q.real(1));
  }
  annotated_ = made.size();
  if (made.empty()) return;
  const auto [first, last] = std::minmax_element(made.begin(), made.end(),
                                                 [](const auto& a, const auto& b) { return a.second < b.second; });
  const double begin = first->second, days = last->second - first->second;
  span_seconds_ = days * 86'400.0;
  for (const auto& [item, at] : made) made_at_[item] = days > 0 ? (at - begin) / days : 0.0;
}

std::vector<int> AnnotationReplay::labels_at(double share) const {
  auto labels = final_labels_;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (made_at_[i] > share) labels[i] = learning::kUnlabelled;
  }
  return labels;
}

}  // namespace lodestone::server
