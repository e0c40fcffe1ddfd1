#include "room/prediction_board.h"

#include <cstdlib>

namespace lodestone::room {

void PredictionBoard::update(const std::vector<learning::Prediction>& predictions) {
  newest_.resize(predictions.size());
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const auto& p = predictions[i];
    const bool known = p.class_index >= 0 && p.class_index < kNoPrediction;
    newest_[i] = {static_cast<std::uint32_t>(i), known ? static_cast<std::uint8_t>(p.class_index) : kNoPrediction,
                  known ? confidence_byte(p.confidence) : std::uint8_t{0}};
  }
}

std::optional<std::vector<ItemPrediction>> PredictionBoard::take_changes(bool& full) {
  full = false;
  if (newest_.empty()) return std::nullopt;
  if (retell_all_ || told_.size() != newest_.size()) {
    retell_all_ = false;
    told_ = newest_;
    full = true;
    return told_;
  }
  const int threshold = confidence_byte(threshold_);
  std::vector<ItemPrediction> changes;
  for (std::size_t i = 0; i < newest_.size(); ++i) {
    const auto& now = newest_[i];
    auto& was = told_[i];
    const bool crossed = (now.confidence >= threshold) != (was.confidence >= threshold);
    if (now.class_position != was.class_position || crossed ||
        std::abs(int{now.confidence} - int{was.confidence}) >= kConfidenceStep) {
      was = now;
      changes.push_back(now);
    }
  }
  if (changes.empty()) return std::nullopt;
  return changes;
}

}  // namespace lodestone::room
