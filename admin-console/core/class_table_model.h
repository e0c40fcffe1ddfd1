#pragma once
// The label set as the room has it (LabelSet, re-broadcast on every change), in class
// order, with how many items each class labels now.
#include "row_table_model.h"
#include "lodestone/messages.h"

#include <map>

namespace lodestone::console {

struct ClassRow {
  ClassInfo info;
  std::uint32_t labelled = 0;
};

class ClassTableModel final : public RowTableModel<ClassRow> {
 public:
  enum Column { Position, Name, Colour, Labelled, ColumnCount };
  using RowTableModel::RowTableModel;

  void setLabelSet(const LabelSet& set, const std::map<std::uint32_t, ClassId>& labels);
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  QString nameOf(ClassId id) const;  // "—" for no class, "#id" for one not in the set

 private:
  std::int64_t keyOf(const ClassRow& row) const override { return row.info.id; }
};

}  // namespace lodestone::console
