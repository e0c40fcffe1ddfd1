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

}  // namespace lodestone::console
