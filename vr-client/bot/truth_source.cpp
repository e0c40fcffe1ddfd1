#include "bot/truth_source.h"

#include <sqlite3.h>

#include <stdexcept>

namespace lodestone::bot {

std::vector<std::optional<std::string>> read_ground_truth(const std::filesystem::path& database,
                                                          std::int64_t dataset_id) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string reason = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    throw std::runtime_error(database.string() + ": " + reason);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* q = nullptr;
  const char* sql =
      "SELECT i.ordinal, g.class_name FROM items i LEFT JOIN ground_truth g ON g.item_id = i.id"
      " WHERE i.dataset_id = ? ORDER BY i.ordinal";
  if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) {
    const std::string reason = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(database.string() + ": " + reason);
  }
  sqlite3_bind_int64(q, 1, dataset_id);
  std::vector<std::optional<std::string>> truth;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(q, 1);
    truth.push_back(text ? std::optional<std::string>(reinterpret_cast<const char*>(text)) : std::nullopt);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return truth;
}

}  // namespace lodestone::bot
