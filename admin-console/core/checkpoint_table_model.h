#pragma once
// The model's checkpoints (ListKind::Checkpoints), the active one marked.
#include "row_table_model.h"
#include "lodestone/admin_messages.h"

namespace lodestone::console {

class CheckpointTableModel final : public RowTableModel<CheckpointRow> {
 public:
  enum Column {
    Time, Step, Labelled, Reconstruction, Kl, Classifier, LabelledAccuracy, UnlabelledAccuracy, KnnAccuracy, Active,
    ColumnCount
  };
  using RowTableModel::RowTableModel;

  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::int64_t keyOf(const CheckpointRow& row) const override { return row.id; }
};

}  // namespace lodestone::console
