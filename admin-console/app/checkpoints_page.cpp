#include "checkpoints_page.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lodestone::console {

CheckpointsPage::CheckpointsPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      table_(make_table(session.checkpoints(), this)),
      save_(new QPushButton(tr("Save now"), this)),
      restore_(new QPushButton(tr("Restore…"), this)),
      delete_(new QPushButton(tr("Delete…"), this)),
      refresh_(new QPushButton(tr("Refresh"), this)),
      progress_(new QProgressBar(this)),
      banner_(new MessageBanner(this)) {
  progress_->setVisible(false);
  auto* buttons = new QHBoxLayout;
  for (auto* b : {save_, restore_, delete_, refresh_}) buttons->addWidget(b);
  buttons->addWidget(progress_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(table_, 1);
  layout->addLayout(buttons);
  layout->addWidget(banner_);

  connect(save_, &QPushButton::clicked, this, &CheckpointsPage::saveNow);
  connect(refresh_, &QPushButton::clicked, this, [this] { session_.refresh(ListKind::Checkpoints); });
  connect(restore_, &QPushButton::clicked, this, [this] {
    const auto id = selected_id(*table_);
    if (!id) return;
    if (QMessageBox::question(this, tr("Restore checkpoint"),
                              tr("Restore checkpoint %1? Training continues from it; the room reshapes to its "
                                 "embedding. Labels are kept.")
                                  .arg(*id)) == QMessageBox::Yes) {
      restore(*id);
    }
  });
  connect(delete_, &QPushButton::clicked, this, [this] {
    const auto id = selected_id(*table_);
    if (!id) return;
    if (QMessageBox::question(this, tr("Delete checkpoint"), tr("Delete checkpoint %1 for good?").arg(*id)) ==
        QMessageBox::Yes) {
      remove(*id);
    }
  });
  const auto update = [this] {
    const bool selected = selected_id(*table_).has_value();
    restore_->setEnabled(selected);
    delete_->setEnabled(selected);
  };
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, update);
  connect(&session_.checkpoints(), &QAbstractItemModel::modelReset, this, update);
  update();
}

quint64 CheckpointsPage::send(CheckpointCommand command, const QString& doing) {
  banner_->showInfo(doing);
  progress_->setVisible(true);
  progress_->setRange(0, 0);
  return session_.run(
      command,
      [this](const AdminResult& result) {
        progress_->setVisible(false);
        banner_->showResult(result);
        session_.refresh(ListKind::Checkpoints);
      },
      [this](const OperationProgress& p) {
        banner_->showInfo(describe_progress(p));
        set_progress(*progress_, p);
      });
}

quint64 CheckpointsPage::saveNow() {
  return send({0, CheckpointOp::SaveNow, 0}, tr("Saving a checkpoint…"));
}

quint64 CheckpointsPage::restore(std::int64_t checkpoint_id) {
  return send({0, CheckpointOp::Restore, checkpoint_id}, tr("Restoring checkpoint %1…").arg(checkpoint_id));
}

quint64 CheckpointsPage::remove(std::int64_t checkpoint_id) {
  return send({0, CheckpointOp::Delete, checkpoint_id}, tr("Deleting checkpoint %1…").arg(checkpoint_id));
}

}  // namespace lodestone::console
