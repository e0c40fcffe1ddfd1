#include "checkpoint_table_model.h"

#include "figures.h"

namespace lodestone::console {

QVariant CheckpointTableModel::data(const QModelIndex& index, int role) const {
  const CheckpointRow* row = rowAt(index.row());
  if (row == nullptr) return {};
  if (role == IdRole) return QVariant::fromValue(row->id);
  if (role == Qt::TextAlignmentRole && index.column() != Time && index.column() != Active) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Time: return QString::fromStdString(row->created_at);
    case Step: return QVariant::fromValue(row->step);
    case Labelled: return row->labelled;
    case Reconstruction: return loss_text(row->reconstruction_loss);
    case Kl: return loss_text(row->kl_loss);
    case Classifier: return loss_text(row->classifier_loss);
    case LabelledAccuracy: return percent_text(row->labelled_accuracy);
    case UnlabelledAccuracy: return percent_text(row->unlabelled_accuracy);
    case KnnAccuracy: return percent_text(row->knn_accuracy);
    case Active: return row->active ? QStringLiteral("● active") : QString();
    default: return {};
  }
}

QVariant CheckpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Time: return tr("Saved");
    case Step: return tr("Step");
    case Labelled: return tr("Labelled");
    case Reconstruction: return tr("Reconstruction");
    case Kl: return tr("KL");
    case Classifier: return tr("Classifier");
    case LabelledAccuracy: return tr("Acc. labelled");
    case UnlabelledAccuracy: return tr("Acc. unlabelled");
    case KnnAccuracy: return tr("5-NN in room");
    case Active: return tr("Model");
    default: return {};
  }
}

}  // namespace lodestone::console
