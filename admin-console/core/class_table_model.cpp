#include "class_table_model.h"

#include <algorithm>

namespace lodestone::console {

void ClassTableModel::setLabelSet(const LabelSet& set, const std::map<std::uint32_t, ClassId>& labels) {
  std::map<ClassId, std::uint32_t> counts;
  for (const auto& [item, cls] : labels) ++counts[cls];
  std::vector<ClassRow> rows;
  for (const auto& info : set.classes) {
    const auto known = counts_.find(info.id);
    rows.push_back({info, counts[info.id],
                    known == counts_.end() ? std::nullopt : std::optional<ClassCountRow>(known->second)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ClassRow& a, const ClassRow& b) { return a.info.position < b.info.position; });
  setRows(std::move(rows));
}

void ClassTableModel::setCounts(const std::vector<ClassCountRow>& counts) {
  counts_.clear();
  for (const auto& c : counts) counts_[c.class_id] = c;
  std::vector<ClassRow> rows = rows_;
  for (auto& row : rows) {
    const auto known = counts_.find(row.info.id);
    row.counts = known == counts_.end() ? std::nullopt : std::optional<ClassCountRow>(known->second);
  }
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
    case Manual: return row->counts ? QVariant(row->counts->manual) : QVariant(QStringLiteral("—"));
    case Accepted: return row->counts ? QVariant(row->counts->accepted) : QVariant(QStringLiteral("—"));
    case Predicted: return row->counts ? QVariant(row->counts->predicted) : QVariant(QStringLiteral("—"));
    case Calibration: {
      if (!row->counts || row->counts->predicted_with_truth == 0) return QStringLiteral("—");
      const auto& c = *row->counts;
      return QStringLiteral("%1 (%2 of %3)")
          .arg(double(c.predicted_right) / double(c.predicted_with_truth), 0, 'f', 2)
          .arg(c.predicted_right)
          .arg(c.predicted_with_truth);
    }
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
    case Manual: return tr("Manual");
    case Accepted: return tr("Accepted");
    case Predicted: return tr("Predicted ≥ threshold");
    case Calibration: return tr("Predictions right");
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
