#pragma once
// Datasets in the store: importing one (one transaction, idempotent by content hash)
// and reading them back for training, export and the room.
#include "dataset/dataset.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace lodestone::dataset {

struct ImportOutcome {
  std::int64_t dataset_id = 0;
  bool already_present = false;  // the same content was imported before; nothing written
  std::size_t item_count = 0;
};

// Writes the dataset, its items and ground truth in one transaction: either all of it
// is stored or none. A dataset with the same content hash is recognised, not duplicated.
ImportOutcome store_dataset(store::Database& db, const Dataset& dataset,
                            const ProgressFn& progress = {});

struct DatasetInfo {
  std::int64_t id = 0;
  std::string name, source_kind, source_path, content_hash, created_at;
  std::size_t item_count = 0;
  int width = 0, height = 0, channels = 0;
  std::size_t ground_truth_count = 0;
  // Audio datasets: the rate, how many recordings, and their length in all (seconds).
  int sample_rate = 0;
  std::size_t recordings = 0;
  double audio_seconds = 0;
};

std::vector<DatasetInfo> list_datasets(store::Database& db);
std::optional<DatasetInfo> find_dataset(store::Database& db, std::int64_t dataset_id);

// Everything training needs, in item order (ordinal).
struct StoredItems {
  std::vector<std::int64_t> item_ids;
  std::vector<std::uint8_t> pixels;  // item_count × pixels_per_item
  std::vector<std::optional<std::string>> ground_truth;
};
StoredItems load_items(store::Database& db, const DatasetInfo& dataset);

}  // namespace lodestone::dataset
