#include "people_models.h"

#include "console_connection.h"
#include "figures.h"

namespace lodestone::console {
namespace {

QVariant right_aligned() { return QVariant(Qt::AlignRight | Qt::AlignVCenter); }

}  // namespace

QVariant TokenTableModel::data(const QModelIndex& index, int role) const {
  const TokenRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->token_id);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case User: return QString::fromStdString(row->user_name);
    case Role: return role_name(row->role);
    case Created: return QString::fromStdString(row->created_at);
    case Status:
      return row->revoked_at.empty() ? tr("valid") : tr("revoked %1").arg(QString::fromStdString(row->revoked_at));
    default: return {};
  }
}

QVariant TokenTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case User: return tr("Holder");
    case Role: return tr("Role");
    case Created: return tr("Created");
    case Status: return tr("Status");
    default: return {};
  }
}

QVariant OnlineTableModel::data(const QModelIndex& index, int role) const {
  const OnlineRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->user_id);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case User: return QString::fromStdString(row->user_name);
    case Role: return role_name(row->role);
    case Kind: return kind_name(row->kind);
    case Address: return QString::fromStdString(row->address);
    case Connected: return tr("%1 ago").arg(duration_text(row->connected_seconds));
    case LastActivity: return tr("%1 ago").arg(duration_text(row->idle_seconds));
    case Voice: return row->voice_muted ? tr("muted") : QString();
    default: return {};
  }
}

QVariant OnlineTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case User: return tr("Who");
    case Role: return tr("Role");
    case Kind: return tr("Client");
    case Address: return tr("From");
    case Connected: return tr("Joined");
    case LastActivity: return tr("Last activity");
    case Voice: return tr("Voice");
    default: return {};
  }
}

QVariant AnnotatorTableModel::data(const QModelIndex& index, int role) const {
  const AnnotatorRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->user_id);
  if (role == Qt::TextAlignmentRole && (index.column() == Annotations || index.column() == CurrentLabels)) {
    return right_aligned();
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case User: return QString::fromStdString(row->user_name);
    case Annotations: return row->annotations;
    case CurrentLabels: return row->current_labels;
    case LastActivity: return QString::fromStdString(row->last_activity);
    default: return {};
  }
}

QVariant AnnotatorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case User: return tr("Annotator");
    case Annotations: return tr("Labels given");
    case CurrentLabels: return tr("Labels standing");
    case LastActivity: return tr("Last label");
    default: return {};
  }
}

QString AnnotatorTableModel::nameOf(UserId id) const {
  for (const auto& row : rows_) {
    if (row.user_id == id) return QString::fromStdString(row.user_name);
  }
  return tr("user #%1").arg(id);
}

}  // namespace lodestone::console
