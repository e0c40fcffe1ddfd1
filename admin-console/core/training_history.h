#pragma once
// Training figures over time, one sample per TrainingStatus (about one a second), for
// the charts. Bounded: the oldest samples go once it holds two hours' worth.
#include "lodestone/messages.h"

#include <QElapsedTimer>
#include <QObject>

#include <vector>

namespace lodestone::console {

struct TrainingSample {
  double seconds = 0;  // since the console started watching
  TrainingStatus status;
};

class TrainingHistory final : public QObject {
  Q_OBJECT
 public:
  static constexpr std::size_t kMaxSamples = 7200;
  explicit TrainingHistory(QObject* parent = nullptr);

  void add(const TrainingStatus& status);
  void add(double seconds, const TrainingStatus& status);
  const std::vector<TrainingSample>& samples() const { return samples_; }
  const TrainingStatus* newest() const { return samples_.empty() ? nullptr : &samples_.back().status; }

 signals:
  void appended();
  void trimmed();  // old samples dropped: redraw from samples()

 private:
  QElapsedTimer clock_;
  std::vector<TrainingSample> samples_;
};

}  // namespace lodestone::console
