#include "dataset/dataset_store.h"

namespace lodestone::dataset {
namespace {

DatasetInfo read_info(store::Statement& row) {
  DatasetInfo info;
  info.id = row.int64(0);
  info.name = row.text(1);
  info.source_kind = row.text(2);
  info.source_path = row.text(3);
  info.content_hash = row.text(4);
  info.item_count = static_cast<std::size_t>(row.int64(5));
  info.width = static_cast<int>(row.int64(6));
  info.height = static_cast<int>(row.int64(7));
  info.channels = static_cast<int>(row.int64(8));
  info.created_at = row.text(9);
  info.ground_truth_count = static_cast<std::size_t>(row.int64(10));
  if (!row.is_null(11)) {
    info.sample_rate = static_cast<int>(row.int64(11));
    info.recordings = static_cast<std::size_t>(row.int64(12));
    info.audio_seconds = row.is_null(13) ? 0.0 : row.real(13);
  }
  return info;
}

constexpr const char* kSelectInfo =
    "SELECT d.id, d.name, d.source_kind, d.source_path, d.content_hash, d.item_count, d.width,"
    " d.height, d.channels, d.created_at,"
    " (SELECT COUNT(*) FROM ground_truth g JOIN items i ON i.id = g.item_id"
    "  WHERE i.dataset_id = d.id),"
    // Only audio datasets pay for counting recordings (CASE is evaluated lazily).
    " d.sample_rate,"
    " CASE WHEN d.sample_rate IS NOT NULL THEN"
    "  (SELECT COUNT(DISTINCT source) FROM items WHERE dataset_id = d.id) END,"
    " CASE WHEN d.sample_rate IS NOT NULL THEN"
    "  (SELECT SUM(length) FROM (SELECT MAX(end_s) AS length FROM items WHERE dataset_id = d.id GROUP BY source)) END"
    " FROM datasets d";

}  // namespace

ImportOutcome store_dataset(store::Database& db, const Dataset& dataset, const ProgressFn& progress) {
  const std::string hash = content_hash(dataset);
  {
    auto existing = db.prepare("SELECT id, item_count FROM datasets WHERE content_hash = ?");
    existing.bind(1, hash);
    if (existing.step()) {
      return {existing.int64(0), true, static_cast<std::size_t>(existing.int64(1))};
    }
  }
  store::Transaction tx(db);
  db.prepare(
        "INSERT INTO datasets (name, source_kind, source_path, content_hash, item_count, width,"
        " height, channels, sample_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, dataset.name)
      .bind(2, dataset.source_kind)
      .bind(3, dataset.source_path)
      .bind(4, hash)
      .bind(5, static_cast<std::int64_t>(dataset.items.size()))
      .bind(6, dataset.width)
      .bind(7, dataset.height)
      .bind(8, dataset.channels)
      .bind(9, dataset.sample_rate > 0 ? std::optional<int>(dataset.sample_rate) : std::nullopt)
      .run();
  const std::int64_t dataset_id = db.last_insert_id();
  auto insert_item =
      db.prepare("INSERT INTO items (dataset_id, ordinal, source, pixels, start_s, end_s) VALUES (?, ?, ?, ?, ?, ?)");
  auto insert_truth = db.prepare("INSERT INTO ground_truth (item_id, class_name) VALUES (?, ?)");
  const std::size_t total = dataset.items.size();
  for (std::size_t i = 0; i < total; ++i) {
    const Item& item = dataset.items[i];
    insert_item.bind(1, dataset_id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, item.source)
        .bind_blob(4, item.pixels);
    if (item.span) {
      insert_item.bind(5, item.span->start).bind(6, item.span->end);
    } else {
      insert_item.bind_null(5).bind_null(6);
    }
    insert_item.run();
    if (item.ground_truth) {
      insert_truth.bind(1, db.last_insert_id()).bind(2, *item.ground_truth).run();
    }
    if (progress && (i % 1000 == 999 || i + 1 == total)) progress(i + 1, total);
  }
  tx.commit();
  return {dataset_id, false, total};
}

std::vector<DatasetInfo> list_datasets(store::Database& db) {
  std::vector<DatasetInfo> all;
  auto query = db.prepare(std::string(kSelectInfo) + " ORDER BY d.id");
  while (query.step()) all.push_back(read_info(query));
  return all;
}

std::optional<DatasetInfo> find_dataset(store::Database& db, std::int64_t dataset_id) {
  auto query = db.prepare(std::string(kSelectInfo) + " WHERE d.id = ?");
  query.bind(1, dataset_id);
  if (!query.step()) return std::nullopt;
  return read_info(query);
}

StoredItems load_items(store::Database& db, const DatasetInfo& dataset) {
  const std::size_t per_item = static_cast<std::size_t>(dataset.width) *
                               static_cast<std::size_t>(dataset.height) *
                               static_cast<std::size_t>(dataset.channels);
  StoredItems items;
  items.item_ids.reserve(dataset.item_count);
  items.pixels.reserve(dataset.item_count * per_item);
  auto query = db.prepare(
      "SELECT i.id, i.pixels, g.class_name FROM items i LEFT JOIN ground_truth g ON g.item_id = i.id"
      " WHERE i.dataset_id = ? ORDER BY i.ordinal");
  query.bind(1, dataset.id);
  while (query.step()) {
    const auto pixels = query.blob(1);
    if (pixels.size() != per_item) {
      throw store::StoreError(0, "item " + std::to_string(query.int64(0)) + " has " +
                                     std::to_string(pixels.size()) + " pixel bytes, expected " +
                                     std::to_string(per_item));
    }
    items.item_ids.push_back(query.int64(0));
    items.pixels.insert(items.pixels.end(), pixels.begin(), pixels.end());
    items.ground_truth.push_back(query.is_null(2) ? std::nullopt
                                                  : std::optional<std::string>(query.text(2)));
  }
  return items;
}

}  // namespace lodestone::dataset
