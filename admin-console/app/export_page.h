#pragma once
// Exporting the labelled dataset on the server's machine, as `lodestone-server export`
// does: format, options, destination; progress while it runs; the path and the counts.
#include "page_support.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace lodestone::console {

class ExportPage final : public QWidget {
  Q_OBJECT
 public:
  explicit ExportPage(ConsoleSession& session, QWidget* parent = nullptr);
  quint64 exportDataset(ExportRequest request);
  // The request the form describes now.
  ExportRequest formRequest() const;
  const MessageBanner& banner() const { return *banner_; }

 private:
  void fillClasses();

  ConsoleSession& session_;
  QComboBox* format_;
  QLineEdit* out_path_;
  QCheckBox* predictions_;
  QDoubleSpinBox* min_confidence_;
  QListWidget* classes_;
  QLineEdit* annotators_;
  QCheckBox* overwrite_;
  QPushButton* export_;
  QProgressBar* progress_;
  QLabel* outcome_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
