#include "export_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace lodestone::console {

ExportPage::ExportPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      format_(new QComboBox(this)),
      out_path_(new QLineEdit(this)),
      predictions_(new QCheckBox(tr("Add items the model predicts, marked “predicted”"), this)),
      min_confidence_(new QDoubleSpinBox(this)),
      classes_(new QListWidget(this)),
      annotators_(new QLineEdit(this)),
      overwrite_(new QCheckBox(tr("Replace what is at that path"), this)),
      export_(new QPushButton(tr("Export"), this)),
      progress_(new QProgressBar(this)),
      outcome_(new QLabel(this)),
      banner_(new MessageBanner(this)) {
  format_->addItem(tr("CSV (one row per item)"), QStringLiteral("csv"));
  format_->addItem(tr("JSON Lines"), QStringLiteral("jsonl"));
  format_->addItem(tr("ImageFolder (a folder of PNGs per class)"), QStringLiteral("imagefolder"));
  format_->addItem(tr("IDX (MNIST's format)"), QStringLiteral("idx"));
  format_->addItem(tr("Embedding (latent and room coordinates)"), QStringLiteral("embedding"));
  out_path_->setPlaceholderText(tr("a path on the server's machine, e.g. /srv/exports/labels.csv"));
  min_confidence_->setRange(0.0, 1.0);
  min_confidence_->setSingleStep(0.05);
  min_confidence_->setValue(0.9);
  min_confidence_->setEnabled(false);
  classes_->setMaximumHeight(120);
  annotators_->setPlaceholderText(tr("all annotators, or names separated by commas"));
  progress_->setVisible(false);
  outcome_->setWordWrap(true);
  outcome_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* form = new QFormLayout;
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Destination"), out_path_);
  form->addRow(QString(), predictions_);
  form->addRow(tr("Least confidence"), min_confidence_);
  form->addRow(tr("Classes (none ticked: all)"), classes_);
  form->addRow(tr("Annotators"), annotators_);
  form->addRow(QString(), overwrite_);
  auto* row = new QHBoxLayout;
  row->addWidget(export_);
  row->addWidget(progress_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(row);
  layout->addWidget(outcome_);
  layout->addWidget(banner_);
  layout->addStretch();

  connect(predictions_, &QCheckBox::toggled, min_confidence_, &QWidget::setEnabled);
  connect(export_, &QPushButton::clicked, this, [this] {
    if (out_path_->text().trimmed().isEmpty()) {
      banner_->showError(tr("Enter where the export goes on the server's machine."));
      return;
    }
    exportDataset(formRequest());
  });
  connect(&session_.classes(), &QAbstractItemModel::modelReset, this, &ExportPage::fillClasses);
  connect(&session_.classes(), &QAbstractItemModel::dataChanged, this, &ExportPage::fillClasses);
  fillClasses();
}

void ExportPage::fillClasses() {
  QStringList ticked;
  for (int i = 0; i < classes_->count(); ++i) {
    if (classes_->item(i)->checkState() == Qt::Checked) ticked << classes_->item(i)->text();
  }
  classes_->clear();
  for (const auto& row : session_.classes().rows()) {
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(swatch(row.info.color))),
                                     QString::fromStdString(row.info.name), classes_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(ticked.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
  }
}

ExportRequest ExportPage::formRequest() const {
  ExportRequest request;
  request.format = format_->currentData().toString().toStdString();
  request.out_path = out_path_->text().trimmed().toStdString();
  request.with_predictions = predictions_->isChecked();
  request.min_confidence = static_cast<float>(min_confidence_->value());
  for (int i = 0; i < classes_->count(); ++i) {
    if (classes_->item(i)->checkState() == Qt::Checked) request.classes.push_back(classes_->item(i)->text().toStdString());
  }
  for (const QString& name : annotators_->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    if (!name.trimmed().isEmpty()) request.annotators.push_back(name.trimmed().toStdString());
  }
  request.overwrite = overwrite_->isChecked();
  return request;
}

quint64 ExportPage::exportDataset(ExportRequest request) {
  export_->setEnabled(false);
  progress_->setVisible(true);
  progress_->setRange(0, 0);
  outcome_->clear();
  banner_->showInfo(tr("Exporting to %1…").arg(QString::fromStdString(request.out_path)));
  return session_.run(
      std::move(request),
      [this](const AdminResult& result) {
        export_->setEnabled(true);
        progress_->setVisible(false);
        banner_->showResult(result);
        // The server names the path it wrote and the counts per class.
        if (result.ok() && !result.detail.empty()) {
          outcome_->setText(tr("Written to %1 on the server.").arg(QString::fromStdString(result.detail)));
        }
      },
      [this](const OperationProgress& p) {
        banner_->showInfo(describe_progress(p));
        set_progress(*progress_, p);
      });
}

}  // namespace lodestone::console
