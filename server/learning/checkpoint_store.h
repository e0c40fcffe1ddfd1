#pragma once
// Checkpoint rows in SQLite; the files (model, optimiser, step) live in a folder under
// the data directory named by the row's path.
#include "learning/metrics.h"
#include "store/database.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::learning {

struct CheckpointRecord {
  std::int64_t id = 0;
  std::int64_t dataset_id = 0;
  std::string path;  // relative to the data directory
  std::uint64_t step = 0;
  std::size_t labelled_count = 0;
  Metrics metrics;
  std::string created_at;
};

// The folder a new checkpoint of `dataset_id` at `step` goes to, relative to the data dir.
std::string checkpoint_folder(std::int64_t dataset_id, std::uint64_t step);

std::int64_t record_checkpoint(store::Database& db, std::int64_t dataset_id, const std::string& path,
                               std::uint64_t step, const Metrics& metrics);
std::vector<CheckpointRecord> list_checkpoints(store::Database& db, std::int64_t dataset_id);
std::optional<CheckpointRecord> find_checkpoint(store::Database& db, std::int64_t checkpoint_id);
std::optional<CheckpointRecord> latest_checkpoint(store::Database& db, std::int64_t dataset_id);

// Keeps the newest `keep` checkpoints of the dataset; deletes older rows and folders.
// Returns how many were removed.
std::size_t prune_checkpoints(store::Database& db, const std::filesystem::path& data_dir,
                              std::int64_t dataset_id, std::size_t keep);

// Removes the row, then the folder.
void delete_checkpoint(store::Database& db, const std::filesystem::path& data_dir, const CheckpointRecord& record);

}  // namespace lodestone::learning
