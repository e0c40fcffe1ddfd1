#pragma once
// The console's window: one page per task, a status bar with the connection, the
// server's version and the latency.
#include "console_session.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace lodestone::console {

class AnnotatorsPage;
class CheckpointsPage;
class ConnectPage;
class DatasetsPage;
class ExportPage;
class LabelSetPage;
class TrainingPage;

class MainWindow final : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(ConsoleSession& session, QWidget* parent = nullptr);

  ConnectPage& connectPage() { return *connect_; }
  DatasetsPage& datasetsPage() { return *datasets_; }
  LabelSetPage& labelSetPage() { return *label_set_; }
  CheckpointsPage& checkpointsPage() { return *checkpoints_; }
  TrainingPage& trainingPage() { return *training_; }
  AnnotatorsPage& annotatorsPage() { return *annotators_; }
  ExportPage& exportPage() { return *export_; }
  QTabWidget& tabs() { return *tabs_; }
  QString statusText() const;

 private:
  void onState(LinkState state, const QString& text);

  ConsoleSession& session_;
  QTabWidget* tabs_;
  ConnectPage* connect_;
  DatasetsPage* datasets_;
  LabelSetPage* label_set_;
  CheckpointsPage* checkpoints_;
  TrainingPage* training_;
  AnnotatorsPage* annotators_;
  ExportPage* export_;
  QLabel* state_;
  QLabel* version_;
  QLabel* latency_;
  QLabel* summary_;
};

}  // namespace lodestone::console
