#include "training_page.h"

#include "figures.h"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace lodestone::console {
namespace {

constexpr float kUnchanged = std::numeric_limits<float>::quiet_NaN();

float value_or_unchanged(const QLineEdit& field) {
  bool ok = false;
  const double v = QLocale().toDouble(field.text().trimmed(), &ok);
  return ok ? static_cast<float>(v) : kUnchanged;
}

}  // namespace

TrainingPage::TrainingPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      status_(new QLabel(tr("No training figures yet."), this)),
      pause_(new QPushButton(tr("Pause training"), this)),
      apply_(new QPushButton(tr("Apply"), this)),
      threshold_(new QDoubleSpinBox(this)),
      apply_threshold_(new QPushButton(tr("Set threshold"), this)),
      banner_(new MessageBanner(this)) {
  QChartView *loss_view = nullptr, *labelled_view = nullptr, *accuracy_view = nullptr;
  losses_ = makePlot(tr("Loss terms"), {tr("reconstruction"), tr("KL"), tr("classifier")}, loss_view);
  labelled_ = makePlot(tr("Labelled items"), {tr("labelled")}, labelled_view);
  accuracy_ = makePlot(tr("Accuracy (%)"), {tr("on labelled"), tr("on unlabelled"), tr("5-NN in room")}, accuracy_view);

  auto* params = new QGroupBox(tr("Training parameters (empty: leave as it is)"), this);
  auto* form = new QFormLayout(params);
  const QStringList names{tr("Learning rate"), tr("KL weight"), tr("Classifier weight"), tr("Consistency weight")};
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    parameters_[i] = new QLineEdit(params);
    auto* validator = new QDoubleValidator(0.0, 1e6, 8, parameters_[i]);
    validator->setNotation(QDoubleValidator::ScientificNotation);
    parameters_[i]->setValidator(validator);
    parameters_[i]->setPlaceholderText(tr("unchanged"));
    form->addRow(names[static_cast<int>(i)], parameters_[i]);
  }
  form->addRow(QString(), apply_);

  // Accepting predictions: what confidence an accept gesture needs. The server's value
  // fills the box when the status arrives; the lead's choice is stored in the room.
  auto* accepting = new QGroupBox(tr("Accepting predictions"), this);
  auto* accept_form = new QFormLayout(accepting);
  threshold_->setRange(0.5, 1.0);
  threshold_->setSingleStep(0.01);
  threshold_->setDecimals(2);
  threshold_->setValue(0.9);
  accept_form->addRow(tr("Acceptance threshold"), threshold_);
  accept_form->addRow(QString(), apply_threshold_);

  auto* charts = new QGridLayout;
  charts->addWidget(loss_view, 0, 0);
  charts->addWidget(accuracy_view, 0, 1);
  charts->addWidget(labelled_view, 1, 0);
  auto* side = new QVBoxLayout;
  side->addWidget(status_);
  side->addWidget(pause_);
  side->addWidget(params);
  side->addWidget(accepting);
  side->addStretch();
  charts->addLayout(side, 1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(charts, 1);
  layout->addWidget(banner_);
  status_->setWordWrap(true);

  connect(pause_, &QPushButton::clicked, this, [this] {
    const TrainingStatus* now = session_.training().newest();
    setPaused(!(now != nullptr && now->paused));
  });
  connect(apply_, &QPushButton::clicked, this, [this] {
    applyParameters(value_or_unchanged(*parameters_[0]), value_or_unchanged(*parameters_[1]),
                    value_or_unchanged(*parameters_[2]), value_or_unchanged(*parameters_[3]));
  });
  connect(apply_threshold_, &QPushButton::clicked, this, [this] { setAcceptanceThreshold(threshold_->value()); });
  connect(&session_, &ConsoleSession::statusChanged, this, [this](const ServerStatus& status) {
    if (!threshold_->hasFocus()) threshold_->setValue(static_cast<double>(status.acceptance_threshold));
  });
  connect(&session_.training(), &TrainingHistory::appended, this, [this] {
    append(session_.training().samples().back());
    fitAxes();
    updateStatus();
  });
  connect(&session_.training(), &TrainingHistory::trimmed, this, &TrainingPage::redraw);
  redraw();
}

TrainingPage::Plot TrainingPage::makePlot(const QString& title, const QStringList& names, QChartView*& view) {
  Plot plot;
  plot.chart = new QChart;
  plot.chart->setTitle(title);
  plot.x = new QValueAxis;
  plot.x->setTitleText(tr("seconds (0: when this console connected)"));
  plot.x->setLabelFormat(QStringLiteral("%d"));
  plot.y = new QValueAxis;
  plot.chart->addAxis(plot.x, Qt::AlignBottom);
  plot.chart->addAxis(plot.y, Qt::AlignLeft);
  for (const QString& name : names) {
    auto* series = new QLineSeries;
    series->setName(name);
    plot.chart->addSeries(series);
    series->attachAxis(plot.x);
    series->attachAxis(plot.y);
    plot.series.push_back(series);
  }
  plot.chart->legend()->setAlignment(Qt::AlignBottom);
  view = new QChartView(plot.chart, this);  // the view owns the chart
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(320, 220);
  return plot;
}

int TrainingPage::plottedSamples() const { return static_cast<int>(labelled_.series[0]->count()); }

void TrainingPage::append(const TrainingSample& sample) {
  const auto& s = sample.status;
  const double t = sample.seconds;
  // Unknown figures (NaN) are left out rather than drawn as zero.
  const auto add = [t](QLineSeries* series, float value, double scale = 1.0) {
    if (std::isfinite(value)) series->append(t, static_cast<double>(value) * scale);
  };
  add(losses_.series[0], s.reconstruction_loss);
  add(losses_.series[1], s.kl_loss);
  add(losses_.series[2], s.classifier_loss);
  labelled_.series[0]->append(t, s.labelled_count);
  add(accuracy_.series[0], s.labelled_accuracy, 100.0);
  add(accuracy_.series[1], s.unlabelled_accuracy, 100.0);
  add(accuracy_.series[2], s.knn_accuracy, 100.0);
}

void TrainingPage::redraw() {
  for (Plot* plot : {&losses_, &labelled_, &accuracy_}) {
    for (auto* series : plot->series) series->clear();
  }
  for (const auto& sample : session_.training().samples()) append(sample);
  fitAxes();
  updateStatus();
}

void TrainingPage::fitAxes() {
  // One time range for every chart, so their moments line up.
  const auto& samples = session_.training().samples();
  const double x0 = samples.empty() ? 0.0 : samples.front().seconds;
  const double x1 = samples.empty() ? 1.0 : std::max(samples.back().seconds, x0 + 1.0);
  for (Plot* plot : {&losses_, &labelled_, &accuracy_}) {
    double y0 = 0, y1 = 1;
    for (auto* series : plot->series) {
      for (const QPointF& p : series->points()) {
        y0 = std::min(y0, p.y());
        y1 = std::max(y1, p.y());
      }
    }
    if (plot == &accuracy_) y0 = 0, y1 = 100;
    plot->x->setRange(x0, x1);
    // Ticks a whole number of seconds apart from 0 (the moment this console connected;
    // the room's earlier figures lie before it), so the labels never repeat.
    plot->x->setTickType(QValueAxis::TicksDynamic);
    plot->x->setTickAnchor(0);
    plot->x->setTickInterval(tick_interval(x1 - x0));
    plot->y->setRange(y0, y1 * (plot == &accuracy_ ? 1.0 : 1.05));
  }
}

void TrainingPage::updateStatus() {
  const TrainingStatus* s = session_.training().newest();
  if (s == nullptr) return;
  status_->setText(tr("%1 · step %2 · %3 samples/s · %4 labelled · accuracy on unlabelled %5")
                       .arg(s->paused ? tr("Paused") : tr("Training"))
                       .arg(s->step)
                       .arg(static_cast<double>(s->samples_per_second), 0, 'f', 0)
                       .arg(s->labelled_count)
                       .arg(percent_text(s->unlabelled_accuracy)));
  pause_->setText(s->paused ? tr("Resume training") : tr("Pause training"));
}

quint64 TrainingPage::setPaused(bool paused) {
  TrainingCommand c;
  c.set_paused = true;
  c.paused = paused;
  c.learning_rate = c.kl_weight = c.classifier_weight = c.consistency_weight = kUnchanged;
  banner_->showInfo(paused ? tr("Pausing training…") : tr("Resuming training…"));
  return session_.run(c, [this](const AdminResult& result) { banner_->showResult(result); });
}

quint64 TrainingPage::applyParameters(float learning_rate, float kl_weight, float classifier_weight,
                                      float consistency_weight) {
  TrainingCommand c;
  c.set_paused = false;
  c.learning_rate = learning_rate;
  c.kl_weight = kl_weight;
  c.classifier_weight = classifier_weight;
  c.consistency_weight = consistency_weight;
  c.set_threshold = false;
  banner_->showInfo(tr("Changing the training parameters…"));
  return session_.run(c, [this](const AdminResult& result) { banner_->showResult(result); });
}

quint64 TrainingPage::setAcceptanceThreshold(double threshold) {
  TrainingCommand c;
  c.learning_rate = c.kl_weight = c.classifier_weight = c.consistency_weight = kUnchanged;
  c.set_threshold = true;
  c.acceptance_threshold = static_cast<float>(threshold);
  banner_->showInfo(tr("Setting the acceptance threshold…"));
  return session_.run(c, [this](const AdminResult& result) {
    banner_->showResult(result);
    session_.refresh(ListKind::Classes);  // the predicted counts follow the threshold
  });
}

}  // namespace lodestone::console
