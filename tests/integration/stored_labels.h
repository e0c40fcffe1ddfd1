#pragma once
// Reading a running server's annotations from the store. A label or an erase is stored,
// and acknowledged, as one batch row; its per-item history in `annotations` follows
// moments later (server/annotation/label_batches.h). Counts take both; tests that read
// the history itself wait for it first.
#include "store/database.h"
#include "support/time_scale.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <thread>

namespace lodestone::testing {

// Annotations the store holds for `sphere` (every sphere if 0): in the history, or
// acknowledged in a batch whose history is not written yet.
inline std::int64_t stored_annotations(const std::filesystem::path& database, std::int64_t sphere = 0) {
  auto db = store::Database::open(database);
  auto q = db.prepare(
      "SELECT (SELECT COUNT(*) FROM annotations WHERE ?1 = 0 OR sphere_id = ?1)"
      " + (SELECT COALESCE(SUM(length(item_ids) / 8 - applied), 0) FROM label_batches WHERE ?1 = 0 OR sphere_id = ?1)");
  q.bind(1, sphere);
  q.step();
  return q.int64(0);
}

// Waits (bounded) until every acknowledged batch has its per-item history written.
inline void wait_for_label_history(const std::filesystem::path& database) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(scaled_ms(10000));
  for (;;) {
    auto db = store::Database::open(database);
    auto q = db.prepare("SELECT COUNT(*) FROM label_batches");
    q.step();
    if (q.int64(0) == 0 || std::chrono::steady_clock::now() > deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace lodestone::testing
