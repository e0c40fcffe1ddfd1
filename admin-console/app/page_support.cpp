#include "page_support.h"

#include "result_text.h"

#include <QHeaderView>
#include <QPainter>
#include <QProgressBar>
#include <QTableView>

namespace lodestone::console {

MessageBanner::MessageBanner(QWidget* parent) : QLabel(parent) {
  setWordWrap(true);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  setMinimumHeight(22);
}

void MessageBanner::showInfo(const QString& text) {
  error_ = false;
  setStyleSheet(QStringLiteral("QLabel { color: #1b5e20; }"));
  setText(text);
}

void MessageBanner::showError(const QString& text) {
  error_ = true;
  setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; font-weight: bold; }"));
  setText(text);
}

void MessageBanner::showResult(const AdminResult& result) {
  ++results_;
  if (result.ok()) showInfo(describe_result(result));
  else showError(describe_result(result));
}

std::optional<std::int64_t> selected_id(const QTableView& view) {
  const QModelIndex current = view.currentIndex();
  if (!current.isValid() || view.selectionModel() == nullptr || !view.selectionModel()->hasSelection()) {
    return std::nullopt;
  }
  const QVariant id = current.siblingAtColumn(0).data(IdRole);
  if (!id.isValid()) return std::nullopt;
  return id.toLongLong();
}

QTableView* make_table(QAbstractItemModel& model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(&model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return view;
}

void set_progress(QProgressBar& bar, const OperationProgress& progress) {
  if (progress.total == 0) {
    bar.setRange(0, 0);
    return;
  }
  bar.setRange(0, 1000);
  const double fraction = static_cast<double>(std::min(progress.done, progress.total)) / static_cast<double>(progress.total);
  bar.setValue(static_cast<int>(1000.0 * fraction));
}

QImage thumbnail_image(const ConsoleConnection& connection, std::uint32_t index) {
  const auto& dataset = connection.dataset();
  if (!dataset || !connection.thumbnailsComplete() || index >= dataset->item_count) return {};
  const int width = dataset->width, height = dataset->height, channels = dataset->channels;
  const std::size_t size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                           static_cast<std::size_t>(channels);
  const std::size_t offset = size * index;
  const auto& blob = connection.thumbnails();
  if (size == 0 || (channels != 1 && channels != 3) || offset + size > blob.size()) return {};
  const QImage::Format format = channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
  // The blob outlives nothing here: copy() detaches the image from it.
  return QImage(blob.data() + offset, width, height, width * channels, format).copy();
}

QImage swatch(std::uint32_t rgb, int size) {
  QImage image(size, size, QImage::Format_RGB32);
  image.fill(QColor::fromRgb(static_cast<QRgb>(rgb)));
  QPainter painter(&image);
  painter.setPen(Qt::black);
  painter.drawRect(0, 0, size - 1, size - 1);
  return image;
}

DecorationProxy::DecorationProxy(QAbstractItemModel& source, int column, Decorate decorate, QObject* parent)
    : QIdentityProxyModel(parent), column_(column), decorate_(std::move(decorate)) {
  setSourceModel(&source);
}

QVariant DecorationProxy::data(const QModelIndex& index, int role) const {
  if (role == Qt::DecorationRole && index.column() == column_) return decorate_(mapToSource(index));
  return QIdentityProxyModel::data(index, role);
}

}  // namespace lodestone::console
