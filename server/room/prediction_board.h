#pragma once
// What the clients were told of the model's predictions, and what to tell them next.
// Every refresh brings a verdict per item; a client needs to hear of an item only when
// its verdict changes enough to be seen: another class, a confidence a step away from the
// one it was told, or a crossing of the acceptance threshold. One record serves every
// client (they all hear the same broadcasts; a joining client gets the record whole).
#include "learning/learner.h"
#include "lodestone/item_predictions.h"

#include <optional>
#include <vector>

namespace lodestone::room {

class PredictionBoard {
 public:
  // Confidence bytes closer than this to what was told are not worth a message (~0.05).
  static constexpr int kConfidenceStep = 13;

  explicit PredictionBoard(float acceptance_threshold) : threshold_(acceptance_threshold) {}

  float threshold() const { return threshold_; }
  // A new threshold. Nothing needs telling again: clients judge what they were told
  // against the threshold each message carries.
  void set_threshold(float threshold) { threshold_ = threshold; }

  // The newest verdicts, by item index (class_index: the class's position in the label set).
  void update(const std::vector<learning::Prediction>& predictions);
  // The label set changed: class positions mean something else, so the next message is whole.
  void retell_all() { retell_all_ = true; }

  // What to broadcast now: the changes since the last call (a whole record after
  // retell_all or on the first verdicts), or nothing. Marks them told.
  std::optional<std::vector<ItemPrediction>> take_changes(bool& full);
  // The record as told, for a joining client.
  const std::vector<ItemPrediction>& told() const { return told_; }

 private:
  float threshold_;
  std::vector<ItemPrediction> newest_, told_;
  bool retell_all_ = true;
};

}  // namespace lodestone::room
