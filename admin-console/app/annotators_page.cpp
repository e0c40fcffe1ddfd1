#include "annotators_page.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lodestone::console {

AnnotatorsPage::AnnotatorsPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      tokens_(make_table(session.tokens(), this)),
      online_(make_table(session.online(), this)),
      annotators_(make_table(session.annotators(), this)),
      conflicts_(make_table(*new DecorationProxy(
                                session.conflicts(), ConflictTableModel::Item,
                                [&session](const QModelIndex& i) -> QVariant {
                                  const QImage image =
                                      thumbnail_image(session.connection(), i.data(IdRole).toUInt());
                                  if (image.isNull()) return {};
                                  return QPixmap::fromImage(image.scaled(40, 40));
                                },
                                this),
                            this)),
      new_name_(new QLineEdit(this)),
      new_role_(new QComboBox(this)),
      create_(new QPushButton(tr("Create token"), this)),
      revoke_(new QPushButton(tr("Revoke…"), this)),
      mute_(new QPushButton(tr("Mute / unmute voice"), this)),
      secret_(new QLineEdit(this)),
      copy_(new QPushButton(tr("Copy"), this)),
      resolve_class_(new QComboBox(this)),
      resolve_(new QPushButton(tr("Settle as this class"), this)),
      banner_(new MessageBanner(this)) {
  new_name_->setPlaceholderText(tr("who will hold it"));
  new_role_->addItem(tr("annotator"), static_cast<int>(Role::Annotator));
  new_role_->addItem(tr("viewer"), static_cast<int>(Role::Viewer));
  new_role_->addItem(tr("lead"), static_cast<int>(Role::Lead));
  secret_->setReadOnly(true);
  secret_->setPlaceholderText(tr("a new token appears here once; copy it and hand it over"));
  copy_->setEnabled(false);
  conflicts_->setIconSize(QSize(40, 40));
  conflicts_->verticalHeader()->setDefaultSectionSize(44);

  auto* token_box = new QGroupBox(tr("Access tokens"), this);
  auto* token_layout = new QVBoxLayout(token_box);
  token_layout->addWidget(tokens_, 1);
  auto* create_row = new QHBoxLayout;
  create_row->addWidget(new_name_, 1);
  create_row->addWidget(new_role_);
  create_row->addWidget(create_);
  create_row->addWidget(revoke_);
  token_layout->addLayout(create_row);
  auto* secret_row = new QHBoxLayout;
  secret_row->addWidget(secret_, 1);
  secret_row->addWidget(copy_);
  token_layout->addLayout(secret_row);

  auto* online_box = new QGroupBox(tr("Online now"), this);
  auto* online_layout = new QVBoxLayout(online_box);
  online_layout->addWidget(online_, 1);
  mute_->setToolTip(tr("Silence the selected person's voice for everyone in the room (again: let them speak)"));
  online_layout->addWidget(mute_, 0, Qt::AlignRight);
  auto* counts_box = new QGroupBox(tr("Per annotator"), this);
  (new QVBoxLayout(counts_box))->addWidget(annotators_);

  auto* conflict_box = new QGroupBox(tr("Conflicts: items annotators disagree on"), this);
  auto* conflict_layout = new QVBoxLayout(conflict_box);
  conflict_layout->addWidget(conflicts_, 1);
  auto* resolve_row = new QHBoxLayout;
  resolve_row->addWidget(new QLabel(tr("Selected item:"), conflict_box));
  resolve_row->addWidget(resolve_class_, 1);
  resolve_row->addWidget(resolve_);
  conflict_layout->addLayout(resolve_row);

  auto* grid = new QGridLayout;
  grid->addWidget(token_box, 0, 0);
  grid->addWidget(online_box, 0, 1);
  grid->addWidget(counts_box, 1, 0);
  grid->addWidget(conflict_box, 1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(grid, 1);
  layout->addWidget(banner_);

  connect(create_, &QPushButton::clicked, this, [this] {
    const QString name = new_name_->text().trimmed();
    if (name.isEmpty()) {
      banner_->showError(tr("Enter the name of the person who will hold the token."));
      return;
    }
    createToken(name, static_cast<Role>(new_role_->currentData().toInt()));
  });
  connect(revoke_, &QPushButton::clicked, this, [this] {
    const auto id = selected_id(*tokens_);
    if (!id) {
      banner_->showError(tr("Select the token to revoke."));
      return;
    }
    const TokenRow* row = session_.tokens().rowAt(session_.tokens().rowOf(*id));
    const QString holder = row != nullptr ? QString::fromStdString(row->user_name) : tr("token %1").arg(*id);
    if (QMessageBox::question(this, tr("Revoke token"),
                              tr("Revoke the token of %1? If they are in the room, they are disconnected now.")
                                  .arg(holder)) == QMessageBox::Yes) {
      revokeToken(*id);
    }
  });
  connect(mute_, &QPushButton::clicked, this, [this] {
    const auto id = selected_id(*online_);
    if (!id) {
      banner_->showError(tr("Select who to mute in the list of people online."));
      return;
    }
    const OnlineRow* row = session_.online().rowAt(session_.online().rowOf(*id));
    setVoiceMuted(static_cast<UserId>(*id), row == nullptr || !row->voice_muted);
  });
  connect(copy_, &QPushButton::clicked, this, [this] {
    QApplication::clipboard()->setText(secret_->text());
    banner_->showInfo(tr("Token copied. It is not shown again."));
  });
  connect(resolve_, &QPushButton::clicked, this, [this] {
    const auto item = selected_id(*conflicts_);
    if (!item || resolve_class_->currentIndex() < 0) {
      banner_->showError(tr("Select a conflict and the class it should have."));
      return;
    }
    resolveConflict(static_cast<std::uint32_t>(*item), resolve_class_->currentData().toLongLong());
  });
  connect(&session_.classes(), &QAbstractItemModel::modelReset, this, &AnnotatorsPage::fillClassChoice);
  connect(&session_.classes(), &QAbstractItemModel::dataChanged, this, &AnnotatorsPage::fillClassChoice);
  connect(&session_.connection(), &ConsoleConnection::thumbnailsReady, conflicts_->viewport(),
          qOverload<>(&QWidget::update));
  fillClassChoice();
}

void AnnotatorsPage::fillClassChoice() {
  const QVariant keep = resolve_class_->currentData();
  resolve_class_->clear();
  for (const auto& row : session_.classes().rows()) {
    resolve_class_->addItem(QIcon(QPixmap::fromImage(swatch(row.info.color))), QString::fromStdString(row.info.name),
                            QVariant::fromValue(row.info.id));
  }
  if (const int i = resolve_class_->findData(keep); i >= 0) resolve_class_->setCurrentIndex(i);
}

QString AnnotatorsPage::shownSecret() const { return secret_->text(); }

quint64 AnnotatorsPage::createToken(const QString& user_name, Role role) {
  secret_->clear();
  copy_->setEnabled(false);
  banner_->showInfo(tr("Creating a %1 token for %2…").arg(role_name(role), user_name));
  TokenCommand c;
  c.op = TokenOp::Create;
  c.user_name = user_name.toStdString();
  c.role = role;
  return session_.run(c, [this](const AdminResult& result) {
    banner_->showResult(result);
    if (result.ok()) {
      // The secret exists nowhere else: the server keeps only its hash.
      secret_->setText(QString::fromStdString(result.detail));
      copy_->setEnabled(!secret_->text().isEmpty());
      new_name_->clear();
    }
    session_.refresh(ListKind::Tokens);
  });
}

quint64 AnnotatorsPage::revokeToken(std::int64_t token_id) {
  secret_->clear();
  copy_->setEnabled(false);
  banner_->showInfo(tr("Revoking token %1…").arg(token_id));
  TokenCommand c;
  c.op = TokenOp::Revoke;
  c.token_id = token_id;
  return session_.run(c, [this](const AdminResult& result) {
    banner_->showResult(result);
    session_.refresh(ListKind::Tokens);
    session_.refresh(ListKind::Online);
  });
}

quint64 AnnotatorsPage::resolveConflict(std::uint32_t item_index, ClassId class_id) {
  banner_->showInfo(tr("Labelling item %1 as %2…").arg(item_index).arg(session_.classes().nameOf(class_id)));
  return session_.run(ResolveConflict{0, item_index, class_id}, [this](const AdminResult& result) {
    banner_->showResult(result);
    session_.refresh(ListKind::Conflicts);
    session_.refresh(ListKind::Annotators);
  });
}

quint64 AnnotatorsPage::setVoiceMuted(UserId user, bool muted) {
  return session_.run(VoiceCommand{0, user, muted}, [this](const AdminResult& result) {
    banner_->showResult(result);
    session_.refresh(ListKind::Online);
  });
}

}  // namespace lodestone::console
