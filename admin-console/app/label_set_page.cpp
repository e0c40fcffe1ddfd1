#include "label_set_page.h"

#include <QButtonGroup>
#include <QColorDialog>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lodestone::console {
namespace {

std::uint32_t rgb_of(const QColor& color) { return static_cast<std::uint32_t>(color.rgb()) & 0xFFFFFFu; }

// A colour no class has yet, so a new class is told apart at once in the room.
QColor next_colour(int n) { return QColor::fromHsv((n * 137) % 360, 200, 230); }

}  // namespace

LabelSetPage::LabelSetPage(ConsoleSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      table_(make_table(*new DecorationProxy(
                            session.classes(), ClassTableModel::Colour,
                            [](const QModelIndex& i) { return QVariant(swatch(i.data(ColorRole).toUInt())); }, this),
                        this)),
      add_(new QPushButton(tr("Add class…"), this)),
      rename_(new QPushButton(tr("Rename…"), this)),
      colour_(new QPushButton(tr("Colour…"), this)),
      up_(new QPushButton(tr("Move up"), this)),
      down_(new QPushButton(tr("Move down"), this)),
      merge_(new QPushButton(tr("Merge into…"), this)),
      delete_(new QPushButton(tr("Delete…"), this)),
      banner_(new MessageBanner(this)) {
  auto* buttons = new QVBoxLayout;
  for (auto* b : {add_, rename_, colour_, up_, down_, merge_, delete_}) buttons->addWidget(b);
  buttons->addStretch();
  auto* row = new QHBoxLayout;
  row->addWidget(table_, 1);
  row->addLayout(buttons);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Changes reach every headset at once. Deleting a class asks what becomes of its "
                                  "labels."),
                               this));
  layout->addLayout(row, 1);
  layout->addWidget(banner_);

  connect(add_, &QPushButton::clicked, this, &LabelSetPage::askCreate);
  connect(rename_, &QPushButton::clicked, this, &LabelSetPage::askRename);
  connect(colour_, &QPushButton::clicked, this, &LabelSetPage::askColour);
  connect(merge_, &QPushButton::clicked, this, &LabelSetPage::askMerge);
  connect(delete_, &QPushButton::clicked, this, &LabelSetPage::askDelete);
  connect(up_, &QPushButton::clicked, this, [this] {
    const int row_now = table_->currentIndex().row();
    if (auto id = selectedClass(); id && row_now > 0) moveClass(*id, row_now - 1);
  });
  connect(down_, &QPushButton::clicked, this, [this] {
    const int row_now = table_->currentIndex().row();
    if (auto id = selectedClass(); id && row_now + 1 < session_.classes().rowCount()) moveClass(*id, row_now + 1);
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LabelSetPage::updateButtons);
  connect(&session_.classes(), &QAbstractItemModel::modelReset, this, &LabelSetPage::updateButtons);
  updateButtons();
}

void LabelSetPage::updateButtons() {
  const bool selected = selectedClass().has_value();
  for (auto* b : {rename_, colour_, up_, down_, merge_, delete_}) b->setEnabled(selected);
}

std::optional<ClassId> LabelSetPage::selectedClass() { return selected_id(*table_); }

quint64 LabelSetPage::send(ClassCommand command, const QString& doing) {
  banner_->showInfo(doing);
  return session_.run(command, [this](const AdminResult& result) { banner_->showResult(result); });
}

quint64 LabelSetPage::createClass(const QString& name, const QColor& color) {
  ClassCommand c;
  c.op = ClassOp::Create;
  c.name = name.toStdString();
  c.color = rgb_of(color);
  return send(c, tr("Creating class “%1”…").arg(name));
}

quint64 LabelSetPage::renameClass(ClassId id, const QString& name) {
  ClassCommand c;
  c.op = ClassOp::Edit;
  c.class_id = id;
  c.name = name.toStdString();
  return send(c, tr("Renaming %1 to “%2”…").arg(session_.classes().nameOf(id), name));
}

quint64 LabelSetPage::recolourClass(ClassId id, const QColor& color) {
  ClassCommand c;
  c.op = ClassOp::Edit;
  c.class_id = id;
  // Colour 0 means "unchanged" on the wire; pure black is sent as the nearest other colour.
  c.color = std::max<std::uint32_t>(rgb_of(color), 1);
  return send(c, tr("Changing the colour of %1…").arg(session_.classes().nameOf(id)));
}

quint64 LabelSetPage::moveClass(ClassId id, int position) {
  ClassCommand c;
  c.op = ClassOp::Edit;
  c.class_id = id;
  c.position = position;
  return send(c, tr("Moving %1 to place %2…").arg(session_.classes().nameOf(id)).arg(position + 1));
}

quint64 LabelSetPage::mergeClass(ClassId from, ClassId into) {
  ClassCommand c;
  c.op = ClassOp::Merge;
  c.class_id = from;
  c.into_class_id = into;
  return send(c, tr("Merging %1 into %2…").arg(session_.classes().nameOf(from), session_.classes().nameOf(into)));
}

quint64 LabelSetPage::deleteClass(ClassId id, std::optional<ClassId> move_labels_to) {
  if (move_labels_to) return mergeClass(id, *move_labels_to);
  ClassCommand c;
  c.op = ClassOp::Delete;
  c.class_id = id;
  return send(c, tr("Deleting %1 and erasing its labels…").arg(session_.classes().nameOf(id)));
}

void LabelSetPage::askCreate() {
  bool ok = false;
  const QString name = QInputDialog::getText(this, tr("New class"), tr("Name:"), QLineEdit::Normal, {}, &ok).trimmed();
  if (!ok || name.isEmpty()) return;
  const QColor color =
      QColorDialog::getColor(next_colour(session_.classes().rowCount()), this, tr("Colour of “%1”").arg(name));
  if (!color.isValid()) return;
  createClass(name, color);
}

void LabelSetPage::askRename() {
  const auto id = selectedClass();
  if (!id) return;
  bool ok = false;
  const QString name = QInputDialog::getText(this, tr("Rename class"), tr("New name:"), QLineEdit::Normal,
                                             session_.classes().nameOf(*id), &ok)
                           .trimmed();
  if (ok && !name.isEmpty()) renameClass(*id, name);
}

void LabelSetPage::askColour() {
  const auto id = selectedClass();
  if (!id) return;
  const ClassRow* row = session_.classes().rowAt(session_.classes().rowOf(*id));
  if (row == nullptr) return;
  const QColor now = QColor::fromRgb(static_cast<QRgb>(row->info.color));
  const QColor color = QColorDialog::getColor(now, this, tr("Colour of %1").arg(session_.classes().nameOf(*id)));
  if (color.isValid()) recolourClass(*id, color);
}

void LabelSetPage::askMerge() {
  const auto id = selectedClass();
  if (!id) return;
  QStringList names;
  std::vector<ClassId> ids;
  for (const auto& row : session_.classes().rows()) {
    if (row.info.id == *id) continue;
    names << QString::fromStdString(row.info.name);
    ids.push_back(row.info.id);
  }
  if (ids.empty()) {
    banner_->showError(tr("There is no other class to merge into."));
    return;
  }
  bool ok = false;
  const QString into = QInputDialog::getItem(
      this, tr("Merge class"),
      tr("Every label of %1 becomes a label of:").arg(session_.classes().nameOf(*id)), names, 0, false, &ok);
  if (ok) mergeClass(*id, ids[static_cast<std::size_t>(names.indexOf(into))]);
}

void LabelSetPage::askDelete() {
  const auto id = selectedClass();
  if (!id) return;
  const ClassRow* row = session_.classes().rowAt(session_.classes().rowOf(*id));
  if (row == nullptr) return;
  const std::uint32_t labelled = row->labelled;
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Delete %1").arg(session_.classes().nameOf(*id)));
  auto* erase = new QRadioButton(tr("Erase its labels (%1 items become unlabelled)").arg(labelled), &dialog);
  auto* move = new QRadioButton(tr("Move its labels to:"), &dialog);
  auto* target = new QComboBox(&dialog);
  for (const auto& r : session_.classes().rows()) {
    if (r.info.id != *id) target->addItem(QString::fromStdString(r.info.name), QVariant::fromValue(r.info.id));
  }
  move->setEnabled(target->count() > 0);
  auto* group = new QButtonGroup(&dialog);
  group->addButton(erase);
  group->addButton(move);
  auto* box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  // Nothing is chosen for the lead: the dialog cannot be confirmed until they pick.
  box->button(QDialogButtonBox::Ok)->setEnabled(false);
  connect(group, &QButtonGroup::buttonClicked, &dialog, [box] { box->button(QDialogButtonBox::Ok)->setEnabled(true); });
  connect(box, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  auto* layout = new QVBoxLayout(&dialog);
  layout->addWidget(new QLabel(tr("What happens to the items labelled %1?").arg(session_.classes().nameOf(*id)), &dialog));
  layout->addWidget(erase);
  layout->addWidget(move);
  layout->addWidget(target);
  layout->addWidget(box);
  if (dialog.exec() != QDialog::Accepted) return;
  if (move->isChecked()) deleteClass(*id, target->currentData().toLongLong());
  else deleteClass(*id, std::nullopt);
}

}  // namespace lodestone::console
