#pragma once
// Items whose annotators disagree (ListKind::Conflicts), each with every annotator's
// newest label, written with class and annotator names.
#include "class_table_model.h"
#include "people_models.h"

namespace lodestone::console {

class ConflictTableModel final : public RowTableModel<ConflictRow> {
 public:
  enum Column { Item, Current, Votes, ColumnCount };
  // Names come from the label set and the annotator list, which outlive this model.
  ConflictTableModel(const ClassTableModel& classes, const AnnotatorTableModel& annotators, QObject* parent = nullptr)
      : RowTableModel(parent), classes_(classes), annotators_(annotators) {}

  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::int64_t keyOf(const ConflictRow& row) const override { return row.item_index; }
  const ClassTableModel& classes_;
  const AnnotatorTableModel& annotators_;
};

}  // namespace lodestone::console
