#pragma once
// The two sides of a training group's rounds (learning/training_group.h). Rank 0 (the
// room's trainer, or an offline `train`) leads: before each round of steps it tells the
// others how many, and sends the labels when they changed, its weights when its model
// was replaced and its training parameters when a lead changed them. A worker follows until rank 0 says stop or is gone.
#include "learning/learner.h"
#include "learning/training_group.h"

#include <memory>
#include <span>
#include <vector>

namespace lodestone::learning {

class GroupLead {
 public:
  // Joins `learner` to `group` (rank 0) and leads it.
  GroupLead(Learner& learner, std::shared_ptr<TrainingGroup> group);
  // Before `steps` steps (0: a round with none, so the others keep hearing from rank 0
  // while the room is paused). Once the group is lost this does nothing.
  void before_steps(int steps, std::span<const int> labels);
  // Tells the others the group ends (rank 0 stops, or the label set changed: the model's
  // shape with it), and trains alone from here.
  void stop();
  bool active() const { return group_ && learner_.in_group(); }
  std::uint64_t payload_bytes() const { return group_ ? group_->payload_bytes() : 0; }

 private:
  Learner& learner_;
  std::shared_ptr<TrainingGroup> group_;
  std::vector<int> shared_labels_;
  std::vector<float> shared_settings_;  // training_parameters() as last sent
  std::uint64_t shared_generation_ = 0;
};

// A worker's life after joining: follows rank 0's rounds. Returns 0 when rank 0 ended the
// group, 1 (with the reason in the log) when rank 0 was lost.
int follow_group_lead(Learner& learner, std::shared_ptr<TrainingGroup> group);

}  // namespace lodestone::learning
