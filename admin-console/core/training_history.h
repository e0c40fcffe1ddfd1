#pragma once
// Training figures over time, one sample per TrainingStatus (about one a second), for
// the charts, starting with the room's last hour when the console joins. Bounded: the
// oldest samples go once it holds two hours' worth.
#include "lodestone/messages.h"

#include <QElapsedTimer>
#include <QObject>

#include <vector>

namespace lodestone::console {

struct TrainingSample {
  double seconds = 0;  // on the console's clock (since it started; earlier ones negative)
  TrainingStatus status;
};

class TrainingHistory final : public QObject {
  Q_OBJECT
 public:
  static constexpr std::size_t kMaxSamples = 7200;
  explicit TrainingHistory(QObject* parent = nullptr);

  void add(const TrainingStatus& status);
  void add(double seconds, const TrainingStatus& status);
  // The room's figures from before this connection: they replace what is held, placed
  // on this console's clock (the server says how long ago each was).
  void load(const lodestone::RecentTraining& history);
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
