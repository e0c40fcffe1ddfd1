#pragma once
// The classes annotators label with: create, rename, recolour, reorder, merge, delete.
// Every change goes to the server, which stores it and re-broadcasts the label set to
// every headset; this page shows the label set the server sent back, never its own guess.
#include "page_support.h"

#include <QColor>
#include <QWidget>

#include <optional>

class QPushButton;
class QTableView;

namespace lodestone::console {

class LabelSetPage final : public QWidget {
  Q_OBJECT
 public:
  explicit LabelSetPage(ConsoleSession& session, QWidget* parent = nullptr);

  // The page's actions without their dialogs (the buttons ask, then call these).
  quint64 createClass(const QString& name, const QColor& color);
  quint64 renameClass(ClassId id, const QString& name);
  quint64 recolourClass(ClassId id, const QColor& color);
  quint64 moveClass(ClassId id, int position);
  quint64 mergeClass(ClassId from, ClassId into);
  // Deleting a class says what happens to its labels: erased, or moved to another class.
  quint64 deleteClass(ClassId id, std::optional<ClassId> move_labels_to);
  const MessageBanner& banner() const { return *banner_; }

 private:
  quint64 send(ClassCommand command, const QString& doing);
  std::optional<ClassId> selectedClass();
  void askCreate();
  void askRename();
  void askColour();
  void askMerge();
  void askDelete();
  void updateButtons();

  ConsoleSession& session_;
  QTableView* table_;
  QPushButton *add_, *rename_, *colour_, *up_, *down_, *merge_, *delete_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
