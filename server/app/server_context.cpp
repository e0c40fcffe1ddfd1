#include "app/server_context.h"

#include "annotation/label_batches.h"
#include "store/migrations.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace lodestone::server {
namespace {

std::filesystem::path home() {
  const char* h = std::getenv("HOME");
  return h ? std::filesystem::path(h) : std::filesystem::current_path();
}

}  // namespace

std::filesystem::path resolve_data_dir(const std::optional<std::string>& option) {
  if (option) return *option;
  if (const char* env = std::getenv("LODESTONE_DATA_DIR"); env && *env) return env;
  return home() / ".local" / "share" / "lodestone";
}

std::filesystem::path default_data_cache() {
  if (const char* env = std::getenv("LODESTONE_DATA_CACHE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "lodestone";
  }
  return home() / ".cache" / "lodestone";
}

store::Database open_store(const std::filesystem::path& data_dir) {
  std::filesystem::create_directories(data_dir);
  auto db = store::Database::open(data_dir / "lodestone.db");
  const auto migrations = store::bundled_migrations();
  const auto report = store::apply_migrations(db, migrations);
  if (!report.applied.empty()) {
    spdlog::info("database {}: schema {} -> {} ({} migration(s) applied)", db.path().string(),
                 report.version_before, report.version_after, report.applied.size());
  }
  // Labels a killed server acknowledged but had not yet written item by item. Should that
  // fail (a full disk), the batches stay and current labels are still read with them.
  try {
    if (const auto completed = annotation::apply_all_label_batches(db)) {
      spdlog::info("database {}: wrote the per-item history of {} acknowledged item label(s) left by an earlier run",
                   db.path().string(), completed);
    }
  } catch (const std::exception& e) {
    spdlog::warn("database {}: the per-item history of acknowledged labels cannot be written now ({}); "
                 "they stay stored as batches", db.path().string(), store::client_reason(e));
  }
  return db;
}

}  // namespace lodestone::server
