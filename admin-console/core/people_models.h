#pragma once
// The people side of a room: access tokens (ListKind::Tokens), who is online now
// (ListKind::Online) and what each annotator has done (ListKind::Annotators).
#include "row_table_model.h"
#include "lodestone/admin_messages.h"

namespace lodestone::console {

class TokenTableModel final : public RowTableModel<TokenRow> {
 public:
  enum Column { User, Role, Created, Status, ColumnCount };
  using RowTableModel::RowTableModel;
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::int64_t keyOf(const TokenRow& row) const override { return row.token_id; }
};

class OnlineTableModel final : public RowTableModel<OnlineRow> {
 public:
  enum Column { User, Role, Kind, Address, Connected, LastActivity, Voice, ColumnCount };
  using RowTableModel::RowTableModel;
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::int64_t keyOf(const OnlineRow& row) const override { return row.user_id; }
};

class AnnotatorTableModel final : public RowTableModel<AnnotatorRow> {
 public:
  enum Column { User, Annotations, CurrentLabels, LastActivity, ColumnCount };
  using RowTableModel::RowTableModel;
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  QString nameOf(UserId id) const;  // "user #id" for someone not in the list

 private:
  std::int64_t keyOf(const AnnotatorRow& row) const override { return row.user_id; }
};

}  // namespace lodestone::console
