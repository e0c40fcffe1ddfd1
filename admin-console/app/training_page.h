#pragma once
// Training as it happens: the loss terms, the labelled count and the accuracy figures over
// time (Qt Charts), pause and resume, and the learning rate and loss weights.
#include "page_support.h"

#include <QWidget>

#include <array>

class QChart;
class QChartView;
class QDoubleSpinBox;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QValueAxis;

namespace lodestone::console {

class TrainingPage final : public QWidget {
  Q_OBJECT
 public:
  explicit TrainingPage(ConsoleSession& session, QWidget* parent = nullptr);
  quint64 setPaused(bool paused);
  // NaN leaves a parameter as it is.
  quint64 applyParameters(float learning_rate, float kl_weight, float classifier_weight, float consistency_weight);
  // The confidence accepting predictions needs (0.5–1); the room stores it.
  quint64 setAcceptanceThreshold(double threshold);
  const MessageBanner& banner() const { return *banner_; }
  int plottedSamples() const;

 private:
  struct Plot {
    QChart* chart = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<QLineSeries*> series;
  };
  Plot makePlot(const QString& title, const QStringList& names, QChartView*& view);
  void append(const TrainingSample& sample);
  void redraw();
  void fitAxes();
  void updateStatus();

  ConsoleSession& session_;
  Plot losses_, labelled_, accuracy_;
  QLabel* status_;
  QPushButton* pause_;
  std::array<QLineEdit*, 4> parameters_{};
  QPushButton* apply_;
  QDoubleSpinBox* threshold_;
  QPushButton* apply_threshold_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
