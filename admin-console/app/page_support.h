#pragma once
// Small pieces every page uses: a banner for results and errors, the selected row's id,
// colour swatches and thumbnails for the core's models (which carry no QtGui types).
#include "console_session.h"
#include "result_text.h"

#include <QIdentityProxyModel>
#include <QImage>
#include <QLabel>

#include <functional>
#include <optional>

class QProgressBar;
class QTableView;

namespace lodestone::console {

// One line under a page's actions: what the last operation did, or why it failed, in
// the server's own words.
class MessageBanner final : public QLabel {
  Q_OBJECT
 public:
  explicit MessageBanner(QWidget* parent = nullptr);
  void showInfo(const QString& text);
  void showError(const QString& text);
  void showResult(const AdminResult& result);
  bool isError() const { return error_; }
  // How many results it has shown: lets a caller wait for the next one.
  int results() const { return results_; }

 private:
  bool error_ = false;
  int results_ = 0;
};

// The IdRole of the view's current row, if a row is selected.
std::optional<std::int64_t> selected_id(const QTableView& view);
QTableView* make_table(QAbstractItemModel& model, QWidget* parent);
// Shows how far an operation is; busy (no figure) until the server sends a total.
void set_progress(QProgressBar& bar, const OperationProgress& progress);

// Item `index` of the dataset as an image (grey or RGB), from the thumbnails blob.
QImage thumbnail_image(const ConsoleConnection& connection, std::uint32_t index);
QImage swatch(std::uint32_t rgb, int size = 14);

// Adds a decoration (an image or colour) to one column of a core model.
class DecorationProxy final : public QIdentityProxyModel {
 public:
  using Decorate = std::function<QVariant(const QModelIndex& source)>;
  DecorationProxy(QAbstractItemModel& source, int column, Decorate decorate, QObject* parent = nullptr);
  QVariant data(const QModelIndex& index, int role) const override;

 private:
  int column_;
  Decorate decorate_;
};

}  // namespace lodestone::console
