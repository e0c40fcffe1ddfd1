#pragma once
// The label set as the room has it (LabelSet, re-broadcast on every change), in class
// order, with how many items each class labels now and, from the room's class counts,
// how many of those a person chose (manual) or confirmed from the model (accepted), how
// many unlabelled items the model predicts for it at or above the acceptance threshold,
// and how often those predictions are right where ground truth exists.
#include "row_table_model.h"
#include "lodestone/messages.h"

#include <map>
#include <optional>
#include <vector>

namespace lodestone::console {

struct ClassRow {
  ClassInfo info;
  std::uint32_t labelled = 0;
  std::optional<ClassCountRow> counts;  // none until the room's counts arrive
};

class ClassTableModel final : public RowTableModel<ClassRow> {
 public:
  enum Column { Position, Name, Colour, Labelled, Manual, Accepted, Predicted, Calibration, ColumnCount };
  using RowTableModel::RowTableModel;

  void setLabelSet(const LabelSet& set, const std::map<std::uint32_t, ClassId>& labels);
  void setCounts(const std::vector<ClassCountRow>& counts);
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  QString nameOf(ClassId id) const;  // "—" for no class, "#id" for one not in the set

 private:
  std::int64_t keyOf(const ClassRow& row) const override { return row.info.id; }
  std::map<ClassId, ClassCountRow> counts_;  // the newest counts, kept across label-set updates
};

}  // namespace lodestone::console
