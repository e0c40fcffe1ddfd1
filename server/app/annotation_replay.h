#pragma once
// `train --replay-annotations`: the stored annotations revealed to training in the order
// and at the pace they were made, so a live session's training (labels arriving while the
// model learns) can be rerun offline, exactly and as often as an experiment needs.
#include "app/learning_context.h"
#include "store/database.h"

#include <vector>

namespace lodestone::server {

class AnnotationReplay {
 public:
  // When each labelled item's standing annotation was made, as a share of the span from
  // the first annotation to the last (0 for the first, 1 for the last).
  AnnotationReplay(store::Database& db, const LearningContext& context);

  // The labels made by `share` of the span: the context's labels, less those made later.
  std::vector<int> labels_at(double share) const;
  std::size_t annotated() const { return annotated_; }
  double span_seconds() const { return span_seconds_; }

 private:
  std::vector<int> final_labels_;
  std::vector<double> made_at_;  // share of the span, one per item
  std::size_t annotated_ = 0;
  double span_seconds_ = 0;
};

}  // namespace lodestone::server
