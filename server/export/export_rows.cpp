#include "export/export_rows.h"

#include <map>

namespace lodestone::exporting {

ExportData collect_rows(store::Database& db, std::int64_t dataset_id, const ExportFilter& filter,
                        const std::vector<Prediction>& predictions, std::optional<std::int64_t> checkpoint_id) {
  ExportData data;
  data.dataset_id = dataset_id;
  data.checkpoint_id = checkpoint_id;
  db.exec("BEGIN");  // one snapshot for every read below (WAL: writers carry on meanwhile)
  try {
    auto shape = db.prepare("SELECT width, height, channels, source_path, sample_rate FROM datasets WHERE id = ?");
    shape.bind(1, dataset_id);
    if (shape.step()) {
      data.width = static_cast<int>(shape.int64(0));
      data.height = static_cast<int>(shape.int64(1));
      data.channels = static_cast<int>(shape.int64(2));
      data.source_path = shape.text(3);
      if (!shape.is_null(4)) data.sample_rate = static_cast<int>(shape.int64(4));
    }
    std::map<std::int64_t, int> class_index;
    auto classes = db.prepare(
        "SELECT c.id, c.name FROM classes c JOIN label_sets l ON l.id = c.label_set_id WHERE l.dataset_id = ?"
        " ORDER BY c.position, c.id");
    classes.bind(1, dataset_id);
    while (classes.step()) {
      class_index[classes.int64(0)] = static_cast<int>(data.class_names.size());
      data.class_names.push_back(classes.text(1));
    }
    auto items = db.prepare(
        "SELECT i.ordinal, i.id, i.source, i.pixels, a.class_id, u.name, a.created_at, a.sphere_id, a.origin,"
        " i.start_s, i.end_s"
        " FROM items i"
        " LEFT JOIN annotations a ON a.id = (SELECT MAX(id) FROM annotations WHERE item_id = i.id)"
        " LEFT JOIN users u ON u.id = a.annotator_id"
        " WHERE i.dataset_id = ? ORDER BY i.ordinal");
    items.bind(1, dataset_id);
    while (items.step()) {
      ExportRow row;
      row.item_index = static_cast<std::size_t>(items.int64(0));
      row.item_id = items.int64(1);
      row.source = items.text(2);
      if (!items.is_null(9)) {
        row.start_s = items.real(9);
        row.end_s = items.is_null(10) ? *row.start_s : items.real(10);
        data.has_spans = true;
      }
      if (row.item_index < predictions.size()) row.prediction = predictions[row.item_index];
      if (!items.is_null(4)) {
        row.class_index = class_index.count(items.int64(4)) ? class_index[items.int64(4)] : -1;
        row.annotator = items.text(5);
        row.labelled_at = items.text(6);
        if (!items.is_null(7)) row.sphere_id = items.int64(7);
        row.origin = items.text(8);
      } else if (filter.include_predictions && row.prediction && row.prediction->confidence >= filter.min_confidence &&
                 row.prediction->class_index >= 0 &&
                 row.prediction->class_index < static_cast<int>(data.class_names.size())) {
        row.class_index = row.prediction->class_index;
        row.predicted = true;
        row.origin = "predicted";
      }
      if (row.class_index < 0) continue;  // unlabelled (or erased)
      row.class_name = data.class_names[static_cast<std::size_t>(row.class_index)];
      if (!filter.classes.empty() && !filter.classes.contains(row.class_name)) continue;
      if (!filter.annotators.empty() && (row.predicted || !filter.annotators.contains(row.annotator))) continue;
      data.pixels.push_back(items.blob(3));
      data.rows.push_back(std::move(row));
    }
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  return data;
}

}  // namespace lodestone::exporting
