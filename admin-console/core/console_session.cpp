#include "console_session.h"

namespace lodestone::console {

ConsoleSession::ConsoleSession(QObject* parent)
    : QObject(parent), conflicts_(classes_, annotators_) {
  clock_.start();
  connect(&connection_, &ConsoleConnection::welcomed, this, [this] { refreshAll(); });
  connect(&connection_, &ConsoleConnection::stateChanged, this, [this](LinkState state) {
    if (state != LinkState::Joined && state != LinkState::Connecting) {
      failPending(tr("The connection to the server was lost before it answered."), false);
    }
  });
  connect(&connection_, &ConsoleConnection::labelSetChanged, this, &ConsoleSession::updateClasses);
  connect(&connection_, &ConsoleConnection::datasetChanged, this, &ConsoleSession::updateClasses);
  connect(&connection_, &ConsoleConnection::labelsChanged, this, [this] {
    updateClasses();
    // Labels arrive in bursts while people work: ask for the derived lists once it settles.
    if (!labels_settle_timer_.isActive()) labels_settle_timer_.start();
  });
  connect(&connection_, &ConsoleConnection::trainingStatus, &training_,
          qOverload<const TrainingStatus&>(&TrainingHistory::add));
  connect(&connection_, &ConsoleConnection::recentTraining, &training_, &TrainingHistory::load);
  connect(&connection_, &ConsoleConnection::serverStatus, this, [this](const ServerStatus& s) {
    status_ = s;
    emit statusChanged(s);
  });
  connect(&connection_, &ConsoleConnection::listReceived, this, &ConsoleSession::onList);
  connect(&connection_, &ConsoleConnection::resultReceived, this, &ConsoleSession::onResult);
  connect(&connection_, &ConsoleConnection::progressReceived, this, &ConsoleSession::onProgress);

  status_timer_.setInterval(2000);
  connect(&status_timer_, &QTimer::timeout, this, [this] {
    if (connection_.state() != LinkState::Joined) return;
    connection_.requestStatus();
    refresh(ListKind::Online);
  });
  status_timer_.start();
  slow_timer_.setInterval(10000);
  connect(&slow_timer_, &QTimer::timeout, this, [this] {
    if (connection_.state() != LinkState::Joined) return;
    refresh(ListKind::Checkpoints);  // scheduled saves
    refresh(ListKind::Classes);      // the model's predictions move while it trains
  });
  slow_timer_.start();
  labels_settle_timer_.setSingleShot(true);
  labels_settle_timer_.setInterval(1500);
  connect(&labels_settle_timer_, &QTimer::timeout, this, [this] {
    if (connection_.state() != LinkState::Joined) return;
    refresh(ListKind::Datasets);
    refresh(ListKind::Annotators);
    refresh(ListKind::Conflicts);
    refresh(ListKind::Classes);
  });
  silence_timer_.setInterval(1000);
  connect(&silence_timer_, &QTimer::timeout, this, [this] {
    failPending(tr("The server did not answer within %1 s.").arg(kSilenceLimitSeconds), true);
  });
  silence_timer_.start();
}

void ConsoleSession::refreshAll() {
  connection_.requestStatus();
  for (auto what : {ListKind::Datasets, ListKind::Checkpoints, ListKind::Tokens, ListKind::Online,
                    ListKind::Annotators, ListKind::Conflicts, ListKind::Classes}) {
    refresh(what);
  }
}

void ConsoleSession::updateClasses() { classes_.setLabelSet(connection_.labelSet(), connection_.labels()); }

void ConsoleSession::track(quint64 id, ResultHandler done, ProgressHandler progress) {
  if (id == 0) {
    if (done) {
      AdminResult offline;
      offline.refusal = RefusalCode::Failed;
      offline.message = "not connected to a server";
      done(offline);
    }
    return;
  }
  pending_[id] = {std::move(done), std::move(progress), clock_.elapsed()};
}

void ConsoleSession::onList(const ListReply& reply) {
  switch (reply.what) {
    case ListKind::Datasets: datasets_.setRows(reply.datasets); break;
    case ListKind::Checkpoints: checkpoints_.setRows(reply.checkpoints); break;
    case ListKind::Tokens: tokens_.setRows(reply.tokens); break;
    case ListKind::Online: online_.setRows(reply.online); break;
    case ListKind::Conflicts: conflicts_.setRows(reply.conflicts); break;
    case ListKind::Annotators: annotators_.setRows(reply.annotators); break;
    case ListKind::Classes: classes_.setCounts(reply.classes); break;
  }
  emit listsChanged(reply.what);
}

void ConsoleSession::onResult(const AdminResult& result) {
  const auto it = pending_.find(result.request_id);
  if (it == pending_.end()) return;
  auto done = std::move(it->second.done);
  pending_.erase(it);
  if (done) done(result);
}

void ConsoleSession::onProgress(const OperationProgress& progress) {
  const auto it = pending_.find(progress.request_id);
  if (it == pending_.end()) return;
  it->second.last_news_ms = clock_.elapsed();
  if (it->second.progress) it->second.progress(progress);
}

void ConsoleSession::failPending(const QString& why, bool only_silent) {
  const qint64 now = clock_.elapsed();
  std::vector<std::pair<quint64, ResultHandler>> failed;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (only_silent && now - it->second.last_news_ms < kSilenceLimitSeconds * 1000) {
      ++it;
      continue;
    }
    failed.emplace_back(it->first, std::move(it->second.done));
    it = pending_.erase(it);
  }
  // Handlers run after the map is settled: one may send a new request.
  for (auto& [id, done] : failed) {
    if (!done) continue;
    AdminResult result;
    result.request_id = id;
    result.refusal = RefusalCode::Failed;
    result.message = why.toStdString();
    done(result);
  }
}

}  // namespace lodestone::console
