#pragma once
// The datasets on the server (ListKind::Datasets), the one the room shows marked.
#include "row_table_model.h"
#include "lodestone/admin_messages.h"

namespace lodestone::console {

class DatasetTableModel final : public RowTableModel<DatasetRow> {
 public:
  enum Column { Name, Source, Items, Labelled, Conflicts, Sound, Shown, Created, ColumnCount };
  using RowTableModel::RowTableModel;

  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  const DatasetRow* shown() const;

 private:
  std::int64_t keyOf(const DatasetRow& row) const override { return row.id; }
};

}  // namespace lodestone::console
