#include "main_window.h"

#include "annotators_page.h"
#include "checkpoints_page.h"
#include "connect_page.h"
#include "datasets_page.h"
#include "export_page.h"
#include "figures.h"
#include "label_set_page.h"
#include "training_page.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace lodestone::console {

MainWindow::MainWindow(ConsoleSession& session, QWidget* parent)
    : QMainWindow(parent),
      session_(session),
      tabs_(new QTabWidget(this)),
      connect_(new ConnectPage(session, tabs_)),
      datasets_(new DatasetsPage(session, tabs_)),
      label_set_(new LabelSetPage(session, tabs_)),
      checkpoints_(new CheckpointsPage(session, tabs_)),
      training_(new TrainingPage(session, tabs_)),
      annotators_(new AnnotatorsPage(session, tabs_)),
      export_(new ExportPage(session, tabs_)),
      state_(new QLabel(this)),
      version_(new QLabel(this)),
      latency_(new QLabel(this)),
      summary_(new QLabel(this)) {
  setWindowTitle(tr("Lodestone console"));
  tabs_->addTab(connect_, tr("Connect"));
  tabs_->addTab(datasets_, tr("Datasets"));
  tabs_->addTab(label_set_, tr("Label set"));
  tabs_->addTab(checkpoints_, tr("Checkpoints"));
  tabs_->addTab(training_, tr("Training"));
  tabs_->addTab(annotators_, tr("Annotators"));
  tabs_->addTab(export_, tr("Export"));
  setCentralWidget(tabs_);
  statusBar()->addWidget(state_, 1);
  statusBar()->addPermanentWidget(summary_);
  statusBar()->addPermanentWidget(version_);
  statusBar()->addPermanentWidget(latency_);
  resize(1180, 760);

  auto& connection = session_.connection();
  connect(&connection, &ConsoleConnection::stateChanged, this, &MainWindow::onState);
  connect(&connection, &ConsoleConnection::welcomed, this, [this](const Welcome& w) {
    version_->setText(tr("server %1").arg(QString::fromStdString(w.server_version)));
    // Once connected, the lead wants the room, not the login form.
    if (tabs_->currentWidget() == connect_) tabs_->setCurrentWidget(datasets_);
  });
  connect(&connection, &ConsoleConnection::latencyChanged, this, [this](int ms) {
    latency_->setText(ms < 0 ? QString() : tr("latency %1 ms").arg(ms));
  });
  connect(&session_, &ConsoleSession::statusChanged, this, [this](const ServerStatus& s) {
    summary_->setText(tr("%1 online · %2 of %3 labelled · %4 conflicts · step %5%6")
                          .arg(s.leads + s.annotators + s.viewers)
                          .arg(s.labelled_count)
                          .arg(s.item_count)
                          .arg(s.conflict_count)
                          .arg(s.training_step)
                          .arg(s.training_paused ? tr(" (paused)") : QString()));
  });
  onState(connection.state(), connection.stateText());
}

QString MainWindow::statusText() const {
  return QStringList{state_->text(), summary_->text(), version_->text(), latency_->text()}.join(QStringLiteral(" | "));
}

void MainWindow::onState(LinkState state, const QString& text) {
  const char* colour = state == LinkState::Joined ? "#1b5e20" : state == LinkState::Refused ? "#b71c1c" : "#e65100";
  state_->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(QLatin1String(colour)));
  state_->setText(text);
  if (state != LinkState::Joined) latency_->clear();
}

}  // namespace lodestone::console
