#include "learning/group_training.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::learning {

GroupLead::GroupLead(Learner& learner, std::shared_ptr<TrainingGroup> group)
    : learner_(learner), group_(std::move(group)) {
  learner_.join_group(group_);
  shared_generation_ = learner_.model_generation();
}

void GroupLead::before_steps(int steps, std::span<const int> labels) {
  if (!active()) return;
  GroupTick tick;
  tick.steps = steps;
  tick.labels = !std::equal(labels.begin(), labels.end(), shared_labels_.begin(), shared_labels_.end());
  tick.weights = learner_.model_generation() != shared_generation_;
  const auto settings = learner_.training_parameters();
  tick.settings = settings != shared_settings_;
  try {
    group_->share(tick);
    if (tick.labels) {
      shared_labels_.assign(labels.begin(), labels.end());
      auto copy = shared_labels_;
      group_->share(copy);
    }
    if (tick.settings) {
      shared_settings_ = settings;
      auto copy = settings;
      group_->share(copy);
    }
  } catch (const std::exception& e) {
    spdlog::error("training group: a worker is gone ({}); training goes on alone", first_line(e));
    learner_.leave_group();
    return;
  }
  if (tick.weights) {
    learner_.share_parameters();
    shared_generation_ = learner_.model_generation();
  }
}

void GroupLead::stop() {
  if (!active()) return;
  GroupTick tick;
  tick.stop = true;
  try {
    group_->share(tick);
  } catch (const std::exception& e) {
    spdlog::warn("training group: could not tell the workers to stop ({})", e.what());
  }
  learner_.leave_group();
}

int follow_group_lead(Learner& learner, std::shared_ptr<TrainingGroup> group) {
  learner.join_group(group);
  std::vector<int> labels(learner.item_count());
  std::uint64_t rounds = 0;
  while (learner.in_group()) {
    GroupTick tick;
    try {
      group->share(tick);
      if (tick.stop) {
        spdlog::info("training group: rank 0 ended the group after {} rounds (step {})", rounds, learner.step());
        return 0;
      }
      if (tick.labels) {
        group->share(labels);
        learner.set_labels(labels);
      }
      if (tick.settings) {
        // Rank 0's learning rate and loss weights, as a lead set them (or as it started).
        auto settings = learner.training_parameters();
        group->share(settings);
        learner.set_training_parameters(settings[0], settings[1], settings[2], settings[3]);
      }
    } catch (const std::exception& e) {
      spdlog::error("training group: lost rank 0 at {}:{} ({}); this worker stops", group->address().host,
                    group->address().port, first_line(e));
      return 1;
    }
    if (tick.weights) learner.share_parameters();
    if (tick.steps > 0) learner.train(tick.steps);
    ++rounds;
  }
  spdlog::error("training group: lost the other ranks at step {}; this worker stops", learner.step());
  return 1;
}

}  // namespace lodestone::learning
