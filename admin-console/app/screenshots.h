#pragma once
// Writes a PNG of every page of the window into a folder (docs/console/ is made this way).
#include <QString>
#include <QStringList>

namespace lodestone::console {

class MainWindow;

// Returns the files written; a page that could not be written is left out.
QStringList write_screenshots(MainWindow& window, const QString& folder);

}  // namespace lodestone::console
