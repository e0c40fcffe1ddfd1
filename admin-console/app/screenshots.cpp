#include "screenshots.h"

#include "main_window.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTabWidget>

namespace lodestone::console {

QStringList write_screenshots(MainWindow& window, const QString& folder) {
  static const char* const kNames[] = {"connect", "datasets", "label-set", "checkpoints",
                                       "training", "annotators", "export"};
  QStringList written;
  if (!QDir().mkpath(folder)) return written;
  QTabWidget& tabs = window.tabs();
  const int current = tabs.currentIndex();
  window.show();
  for (int i = 0; i < tabs.count() && i < static_cast<int>(std::size(kNames)); ++i) {
    tabs.setCurrentIndex(i);
    // Let layouts and charts settle before the picture is taken.
    for (int n = 0; n < 5; ++n) QApplication::processEvents();
    const QString path = QDir(folder).filePath(QString::fromLatin1(kNames[i]) + QStringLiteral(".png"));
    if (window.grab().save(path)) written << path;
  }
  tabs.setCurrentIndex(current);
  return written;
}

}  // namespace lodestone::console
