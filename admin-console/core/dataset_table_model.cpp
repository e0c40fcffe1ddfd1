#include "dataset_table_model.h"

namespace lodestone::console {

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
  const DatasetRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->id);
  if (role == Qt::TextAlignmentRole && index.column() >= Items && index.column() <= Conflicts) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Name: return QString::fromStdString(row->name);
    case Source: return QString::fromStdString(row->source_kind);
    case Items: return row->items;
    case Labelled: return row->labelled;
    case Conflicts: return row->conflicts;
    case Sound:
      if (row->sample_rate == 0) return QString();
      return tr("%n recording(s), %1 min at %2 kHz", "", static_cast<int>(row->recordings))
          .arg(row->audio_seconds / 60.0, 0, 'f', 1)
          .arg(row->sample_rate / 1000.0, 0, 'g', 3);
    case Shown: return row->shown ? QStringLiteral("✓ in the room") : QString();
    case Created: return QString::fromStdString(row->created_at);
    default: return {};
  }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Name: return tr("Dataset");
    case Source: return tr("Source");
    case Items: return tr("Items");
    case Labelled: return tr("Labelled");
    case Conflicts: return tr("Conflicts");
    case Sound: return tr("Sound (items are windows)");
    case Shown: return tr("Room");
    case Created: return tr("Imported");
    default: return {};
  }
}

const DatasetRow* DatasetTableModel::shown() const {
  for (const auto& row : rows_) {
    if (row.shown) return &row;
  }
  return nullptr;
}

}  // namespace lodestone::console
