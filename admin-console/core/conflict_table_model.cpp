#include "conflict_table_model.h"

#include <QStringList>

namespace lodestone::console {

QVariant ConflictTableModel::data(const QModelIndex& index, int role) const {
  const ConflictRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->item_index);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Item: return tr("item %1").arg(row->item_index);
    case Current: return classes_.nameOf(row->current_class);
    case Votes: {
      QStringList votes;
      for (std::size_t i = 0; i < row->annotators.size() && i < row->classes.size(); ++i) {
        votes << QStringLiteral("%1: %2").arg(annotators_.nameOf(row->annotators[i]), classes_.nameOf(row->classes[i]));
      }
      return votes.join(QStringLiteral(", "));
    }
    default: return {};
  }
}

QVariant ConflictTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Item: return tr("Item");
    case Current: return tr("Label now");
    case Votes: return tr("Who said what");
    default: return {};
  }
}

}  // namespace lodestone::console
