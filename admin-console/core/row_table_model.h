#pragma once
// The shape every console table shares: rows as the server sent them, one column enum per
// model. A refresh that brings the same rows in the same order reports changed cells only,
// so the selection and scroll position survive the periodic refresh; anything else resets.
#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace lodestone::console {

// Custom data roles shared by the console's models.
enum ModelRole {
  IdRole = Qt::UserRole,        // the row's id (dataset, class, checkpoint, token, user, item index)
  ColorRole = Qt::UserRole + 1,  // a class colour, 0xRRGGBB (the widgets paint it)
};

template <class Row>
class RowTableModel : public QAbstractTableModel {
 public:
  using QAbstractTableModel::QAbstractTableModel;

  int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
  }
  const std::vector<Row>& rows() const { return rows_; }
  const Row* rowAt(int row) const {
    return row >= 0 && static_cast<std::size_t>(row) < rows_.size() ? &rows_[static_cast<std::size_t>(row)] : nullptr;
  }
  // The row with this id, or -1.
  int rowOf(std::int64_t id) const {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (keyOf(rows_[i]) == id) return static_cast<int>(i);
    }
    return -1;
  }

  void setRows(std::vector<Row> fresh) {
    bool same = fresh.size() == rows_.size();
    for (std::size_t i = 0; same && i < fresh.size(); ++i) same = keyOf(fresh[i]) == keyOf(rows_[i]);
    if (!same) {
      beginResetModel();
      rows_ = std::move(fresh);
      endResetModel();
      return;
    }
    rows_ = std::move(fresh);
    if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
  }

 protected:
  virtual std::int64_t keyOf(const Row& row) const = 0;
  std::vector<Row> rows_;
};

}  // namespace lodestone::console
