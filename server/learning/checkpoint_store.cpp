#include "learning/checkpoint_store.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace lodestone::learning {
namespace {

constexpr const char* kColumns =
    "SELECT id, dataset_id, path, step, labelled_count, reconstruction_loss, kl_loss,"
    " classifier_loss, labelled_accuracy, unlabelled_accuracy, knn_accuracy, created_at"
    " FROM checkpoints";

double nullable(store::Statement& row, int column) {
  return row.is_null(column) ? std::numeric_limits<double>::quiet_NaN() : row.real(column);
}

CheckpointRecord read(store::Statement& row) {
  CheckpointRecord r;
  r.id = row.int64(0);
  r.dataset_id = row.int64(1);
  r.path = row.text(2);
  r.step = static_cast<std::uint64_t>(row.int64(3));
  r.labelled_count = static_cast<std::size_t>(row.int64(4));
  r.metrics.labelled_count = r.labelled_count;
  r.metrics.losses.reconstruction = static_cast<float>(nullable(row, 5));
  r.metrics.losses.kl = static_cast<float>(nullable(row, 6));
  r.metrics.losses.classifier = static_cast<float>(nullable(row, 7));
  r.metrics.labelled_accuracy = nullable(row, 8);
  r.metrics.unlabelled_accuracy = nullable(row, 9);
  r.metrics.knn_accuracy = nullable(row, 10);
  r.created_at = row.text(11);
  return r;
}

// NaN (unknown) is stored as NULL.
void bind_figure(store::Statement& s, int index, double value) {
  if (std::isnan(value)) s.bind_null(index); else s.bind(index, value);
}

}  // namespace

std::string checkpoint_folder(std::int64_t dataset_id, std::uint64_t step) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  return "checkpoints/dataset-" + std::to_string(dataset_id) + "/step-" + std::to_string(step) +
         "-" + std::to_string(ms);
}

std::int64_t record_checkpoint(store::Database& db, std::int64_t dataset_id, const std::string& path,
                               std::uint64_t step, const Metrics& m) {
  auto insert = db.prepare(
      "INSERT INTO checkpoints (dataset_id, path, step, labelled_count, reconstruction_loss, kl_loss,"
      " classifier_loss, labelled_accuracy, unlabelled_accuracy, knn_accuracy)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, dataset_id).bind(2, path).bind(3, static_cast<std::int64_t>(step))
      .bind(4, static_cast<std::int64_t>(m.labelled_count));
  bind_figure(insert, 5, m.losses.reconstruction);
  bind_figure(insert, 6, m.losses.kl);
  bind_figure(insert, 7, m.losses.classifier);
  bind_figure(insert, 8, m.labelled_accuracy);
  bind_figure(insert, 9, m.unlabelled_accuracy);
  bind_figure(insert, 10, m.knn_accuracy);
  insert.run();
  return db.last_insert_id();
}

std::vector<CheckpointRecord> list_checkpoints(store::Database& db, std::int64_t dataset_id) {
  std::vector<CheckpointRecord> all;
  auto q = db.prepare(std::string(kColumns) + " WHERE dataset_id = ? ORDER BY id");
  q.bind(1, dataset_id);
  while (q.step()) all.push_back(read(q));
  return all;
}

std::optional<CheckpointRecord> find_checkpoint(store::Database& db, std::int64_t checkpoint_id) {
  auto q = db.prepare(std::string(kColumns) + " WHERE id = ?");
  q.bind(1, checkpoint_id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::optional<CheckpointRecord> latest_checkpoint(store::Database& db, std::int64_t dataset_id) {
  auto q = db.prepare(std::string(kColumns) + " WHERE dataset_id = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, dataset_id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::size_t prune_checkpoints(store::Database& db, const std::filesystem::path& data_dir,
                              std::int64_t dataset_id, std::size_t keep) {
  auto all = list_checkpoints(db, dataset_id);
  if (all.size() <= keep) return 0;
  const std::size_t remove = all.size() - keep;
  for (std::size_t i = 0; i < remove; ++i) delete_checkpoint(db, data_dir, all[i]);
  return remove;
}

void delete_checkpoint(store::Database& db, const std::filesystem::path& data_dir, const CheckpointRecord& record) {
  db.prepare("DELETE FROM checkpoints WHERE id = ?").bind(1, record.id).run();
  std::error_code ec;  // a folder already gone is not an error
  std::filesystem::remove_all(data_dir / record.path, ec);
}

}  // namespace lodestone::learning
