#include "training_history.h"

namespace lodestone::console {

TrainingHistory::TrainingHistory(QObject* parent) : QObject(parent) { clock_.start(); }

void TrainingHistory::add(const TrainingStatus& status) {
  add(static_cast<double>(clock_.elapsed()) / 1000.0, status);
}

void TrainingHistory::add(double seconds, const TrainingStatus& status) {
  samples_.push_back({seconds, status});
  if (samples_.size() > kMaxSamples) {
    samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(kMaxSamples / 2));
    emit trimmed();
    return;
  }
  emit appended();
}

void TrainingHistory::load(const lodestone::RecentTraining& history) {
  const double now = static_cast<double>(clock_.elapsed()) / 1000.0;
  samples_.clear();
  for (const auto& point : history.points) samples_.push_back({now - point.seconds_ago, point.status});
  emit trimmed();  // everything changed: redraw from samples()
}

}  // namespace lodestone::console
