#include "class_table_model.h"

#include <algorithm>

namespace lodestone::console {

void ClassTableModel::setLabelSet(const LabelSet& set, const std::map<std::uint32_t, ClassId>& labels) {
  std::map<ClassId, std::uint32_t> counts;
  for (const auto& [item, cls] : labels) ++counts[cls];
  std::vector<ClassRow> rows;
  for (const auto& info : set.classes) rows.push_back({info, counts[info.id]});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ClassRow& a, const ClassRow& b) { return a.info.position < b.info.position; });
  setRows(std::move(rows));
}

QVariant ClassTableModel::data(const QModelIndex& index, int role) const {
  const ClassRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->info.id);
  if (role == ColorRole) return row->info.color;
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Position: return row->info.position;
    case Name: return QString::fromStdString(row->info.name);
    case Colour: return QStringLiteral("#%1").arg(row->info.color, 6, 16, QLatin1Char('0'));
    case Labelled: return row->labelled;
    default: return {};
  }
}

QVariant ClassTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Position: return tr("Order");
    case Name: return tr("Class");
    case Colour: return tr("Colour");
    case Labelled: return tr("Labelled items");
    default: return {};
  }
}

QString ClassTableModel::nameOf(ClassId id) const {
  if (id == kNoClass) return QStringLiteral("—");
  for (const auto& row : rows_) {
    if (row.info.id == id) return QString::fromStdString(row.info.name);
  }
  return QStringLiteral("#%1").arg(id);
}

}  // namespace lodestone::console
