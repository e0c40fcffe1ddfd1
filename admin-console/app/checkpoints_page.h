#pragma once
// The model's checkpoints: save one now, restore one (the room resumes from it), delete.
#include "page_support.h"

#include <QWidget>

class QProgressBar;
class QPushButton;
class QTableView;

namespace lodestone::console {

class CheckpointsPage final : public QWidget {
  Q_OBJECT
 public:
  explicit CheckpointsPage(ConsoleSession& session, QWidget* parent = nullptr);
  quint64 saveNow();
  quint64 restore(std::int64_t checkpoint_id);
  quint64 remove(std::int64_t checkpoint_id);
  const MessageBanner& banner() const { return *banner_; }

 private:
  quint64 send(CheckpointCommand command, const QString& doing);

  ConsoleSession& session_;
  QTableView* table_;
  QPushButton *save_, *restore_, *delete_, *refresh_;
  QProgressBar* progress_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
