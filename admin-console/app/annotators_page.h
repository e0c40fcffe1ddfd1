#pragma once
// The people: access tokens (create one for a role, shown once; revoke one), who is
// online and when they last did something, what each annotator has labelled, and the
// items they disagree on, settled by the lead choosing the class.
#include "page_support.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace lodestone::console {

class AnnotatorsPage final : public QWidget {
  Q_OBJECT
 public:
  explicit AnnotatorsPage(ConsoleSession& session, QWidget* parent = nullptr);
  quint64 createToken(const QString& user_name, Role role);
  quint64 revokeToken(std::int64_t token_id);
  // Mutes (or unmutes) a person's voice for the whole room.
  quint64 setVoiceMuted(UserId user, bool muted);
  quint64 resolveConflict(std::uint32_t item_index, ClassId class_id);
  // The secret of the token created last (shown once, until the next action).
  QString shownSecret() const;
  const MessageBanner& banner() const { return *banner_; }

 private:
  void fillClassChoice();

  ConsoleSession& session_;
  QTableView* tokens_;
  QTableView* online_;
  QTableView* annotators_;
  QTableView* conflicts_;
  QLineEdit* new_name_;
  QComboBox* new_role_;
  QPushButton* create_;
  QPushButton* revoke_;
  QPushButton* mute_;
  QLineEdit* secret_;
  QPushButton* copy_;
  QComboBox* resolve_class_;
  QPushButton* resolve_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
