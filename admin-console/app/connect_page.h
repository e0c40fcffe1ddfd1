#pragma once
// Where the lead says which server to run: host, port and a lead token, remembered for
// next time (the token in a file only the user can read).
#include "page_support.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lodestone::console {

class ConnectPage final : public QWidget {
  Q_OBJECT
 public:
  explicit ConnectPage(ConsoleSession& session, QWidget* parent = nullptr);
  // Fills the form and connects, as the Connect button does (remembering the settings).
  void connectTo(const ServerAddress& address, bool remember_token);
  void disconnectFromServer();

 private:
  void onConnectClicked();
  void onState(LinkState state, const QString& text);

  ConsoleSession& session_;
  QLineEdit* host_;
  QSpinBox* port_;
  QLineEdit* token_;
  QCheckBox* remember_;
  QPushButton* connect_button_;
  QPushButton* disconnect_button_;
  QLabel* state_;
  QLabel* welcome_;
  MessageBanner* banner_;
};

}  // namespace lodestone::console
