#include "connect_page.h"

#include "connection_settings.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lodestone::console {

ConnectPage::ConnectPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      host_(new QLineEdit(this)),
      port_(new QSpinBox(this)),
      token_(new QLineEdit(this)),
      remember_(new QCheckBox(tr("Remember the token on this computer (readable only by you)"), this)),
      connect_button_(new QPushButton(tr("Connect"), this)),
      disconnect_button_(new QPushButton(tr("Disconnect"), this)),
      state_(new QLabel(this)),
      welcome_(new QLabel(this)),
      banner_(new MessageBanner(this)) {
  port_->setRange(1, 65535);
  token_->setEchoMode(QLineEdit::Password);
  token_->setPlaceholderText(tr("a lead token, from `lodestone-server token create NAME --role lead`"));
  const auto remembered = load_connection_settings();
  host_->setText(remembered.address.host);
  port_->setValue(remembered.address.port);
  token_->setText(remembered.address.token);
  remember_->setChecked(remembered.remember_token);

  auto* form = new QFormLayout;
  form->addRow(tr("Server address"), host_);
  form->addRow(tr("Port"), port_);
  form->addRow(tr("Token"), token_);
  form->addRow(QString(), remember_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(connect_button_);
  buttons->addWidget(disconnect_button_);
  buttons->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(state_);
  layout->addWidget(welcome_);
  layout->addWidget(banner_);
  layout->addStretch();
  state_->setWordWrap(true);
  connect_button_->setDefault(true);

  connect(connect_button_, &QPushButton::clicked, this, &ConnectPage::onConnectClicked);
  connect(disconnect_button_, &QPushButton::clicked, this, &ConnectPage::disconnectFromServer);
  connect(&session_.connection(), &ConsoleConnection::stateChanged, this, &ConnectPage::onState);
  connect(&session_, &ConsoleSession::statusChanged, this, [this](const ServerStatus& s) {
    welcome_->setText(tr("Server %1, up %2 · dataset “%3” (%4 items) · online: %5 leads, %6 annotators, %7 viewers · "
                         "database %8 MB")
                          .arg(QString::fromStdString(s.server_version))
                          .arg(static_cast<long long>(s.uptime_seconds))
                          .arg(QString::fromStdString(s.dataset_name))
                          .arg(s.item_count)
                          .arg(s.leads)
                          .arg(s.annotators)
                          .arg(s.viewers)
                          .arg(static_cast<double>(s.database_bytes) / 1e6, 0, 'f', 1));
  });
  onState(session_.connection().state(), session_.connection().stateText());
}

void ConnectPage::connectTo(const ServerAddress& address, bool remember_token) {
  host_->setText(address.host);
  port_->setValue(address.port);
  token_->setText(address.token);
  remember_->setChecked(remember_token);
  onConnectClicked();
}

void ConnectPage::disconnectFromServer() { session_.connection().close(); }

void ConnectPage::onConnectClicked() {
  RememberedConnection settings;
  settings.address.host = host_->text().trimmed();
  settings.address.port = static_cast<quint16>(port_->value());
  settings.address.token = token_->text().trimmed();
  settings.remember_token = remember_->isChecked();
  if (settings.address.host.isEmpty() || settings.address.token.isEmpty()) {
    banner_->showError(tr("Enter the server's address and a lead token."));
    return;
  }
  if (const QString error = save_connection_settings(settings); !error.isEmpty()) {
    banner_->showError(tr("Connecting, but the token was not remembered: %1").arg(error));
  } else {
    banner_->clear();
  }
  session_.connection().open(settings.address);
}

void ConnectPage::onState(LinkState state, const QString& text) {
  state_->setText(text);
  disconnect_button_->setEnabled(state != LinkState::Disconnected && state != LinkState::Refused);
  if (state == LinkState::Refused) banner_->showError(text);
  if (state == LinkState::Joined) {
    const auto& me = session_.connection().welcome();
    if (me && me->role != Role::Lead) {
      banner_->showError(tr("This token belongs to a %1: the console shows the room, but every change needs a lead "
                            "token.")
                             .arg(role_name(me->role)));
    }
  }
}

}  // namespace lodestone::console
