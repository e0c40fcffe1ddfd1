#pragma once
// What the console knows about one server: the connection, the models fed from its
// replies, the training history, and the requests still waiting for an answer. It also
// decides when lists are asked for again, so the pages only show and act.
#include "checkpoint_table_model.h"
#include "class_table_model.h"
#include "conflict_table_model.h"
#include "console_connection.h"
#include "dataset_table_model.h"
#include "people_models.h"
#include "training_history.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>

namespace lodestone::console {

using ResultHandler = std::function<void(const AdminResult&)>;
using ProgressHandler = std::function<void(const OperationProgress&)>;

class ConsoleSession final : public QObject {
  Q_OBJECT
 public:
  // A request that hears nothing (no progress, no result) for this long is reported failed.
  static constexpr int kSilenceLimitSeconds = 30;

  explicit ConsoleSession(QObject* parent = nullptr);

  ConsoleConnection& connection() { return connection_; }
  DatasetTableModel& datasets() { return datasets_; }
  ClassTableModel& classes() { return classes_; }
  CheckpointTableModel& checkpoints() { return checkpoints_; }
  TokenTableModel& tokens() { return tokens_; }
  OnlineTableModel& online() { return online_; }
  AnnotatorTableModel& annotators() { return annotators_; }
  ConflictTableModel& conflicts() { return conflicts_; }
  TrainingHistory& training() { return training_; }
  const std::optional<ServerStatus>& status() const { return status_; }

  // Sends an operation; `done` runs once with its result (or a failure the console made
  // up when the connection was lost or the server stayed silent). Returns the request id,
  // 0 when not connected (then `done` has already run).
  template <class M>
  quint64 run(M command, ResultHandler done, ProgressHandler progress = {}) {
    const quint64 id = connection_.request(std::move(command));
    track(id, std::move(done), std::move(progress));
    return id;
  }
  void refresh(ListKind what) { connection_.requestList(what); }
  void refreshAll();

 signals:
  void statusChanged(const lodestone::ServerStatus& status);
  void listsChanged(lodestone::ListKind what);

 private:
  struct Pending {
    ResultHandler done;
    ProgressHandler progress;
    qint64 last_news_ms = 0;
  };
  void track(quint64 id, ResultHandler done, ProgressHandler progress);
  void onList(const ListReply& reply);
  void onResult(const AdminResult& result);
  void onProgress(const OperationProgress& progress);
  void failPending(const QString& why, bool only_silent);
  void updateClasses();

  ConsoleConnection connection_;
  DatasetTableModel datasets_;
  ClassTableModel classes_;
  CheckpointTableModel checkpoints_;
  TokenTableModel tokens_;
  OnlineTableModel online_;
  AnnotatorTableModel annotators_;
  ConflictTableModel conflicts_;
  TrainingHistory training_;
  std::optional<ServerStatus> status_;
  std::map<quint64, Pending> pending_;
  QTimer status_timer_, slow_timer_, labels_settle_timer_, silence_timer_;
  QElapsedTimer clock_;
};

}  // namespace lodestone::console
