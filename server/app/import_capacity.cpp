#include "app/import_capacity.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace lodestone::server {
namespace {

// Per item beyond its pixels: the item's row and index entries in SQLite.
constexpr std::uint64_t kDatabaseBytesPerItem = 120;
// Serving: the model holds each thumbnail as 4-byte floats, the room and the store's
// copy one byte a pixel each; the neighbour graph, propagation scores, positions and
// predictions about 800 bytes an item; LibTorch, the model and the rest about 1 GB.
constexpr std::uint64_t kServingBytesPerPixel = 6;
constexpr std::uint64_t kServingBytesPerItem = 800;
constexpr std::uint64_t kServingFixedBytes = 1ull << 30;

std::string gigabytes(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
  }
  return text;
}

// "MemTotal:  24500000 kB" and the like from /proc/meminfo, in bytes; 0 when unknown.
std::uint64_t meminfo(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  std::uint64_t kilobytes = 0;
  std::string unit;
  while (in >> name >> kilobytes >> unit) {
    if (name == key + ":") return kilobytes * 1024;
  }
  return 0;
}

}  // namespace

ImportNeeds import_needs(std::size_t items, std::size_t pixels_per_item) {
  const auto n = static_cast<std::uint64_t>(items), pixels = static_cast<std::uint64_t>(pixels_per_item);
  return {n * (pixels + kDatabaseBytesPerItem),
          n * (pixels * kServingBytesPerPixel + kServingBytesPerItem) + kServingFixedBytes};
}

std::string capacity_problem(const ImportNeeds& needs, const std::filesystem::path& data_dir, double max_database_mb) {
  std::error_code error;
  const auto database = data_dir / "lodestone.db";
  std::uint64_t current = 0;  // the database and its write-ahead log, as they are now
  for (const auto& file : {database, data_dir / "lodestone.db-wal"}) {
    const auto size = std::filesystem::file_size(file, error);
    if (!error) current += size;
  }
  if (max_database_mb > 0) {
    const auto cap = static_cast<std::uint64_t>(max_database_mb * 1e6);
    if (current + needs.database_bytes > cap) {
      return "storing it needs about " + gigabytes(needs.database_bytes) + " more database, and the database (now " +
             gigabytes(current) + ") may grow to " + gigabytes(cap) + " (--max-database-mb)";
    }
  }
  const auto space = std::filesystem::space(data_dir, error);
  if (!error && needs.database_bytes > space.available) {
    return "storing it needs about " + gigabytes(needs.database_bytes) + " of disk, and " + data_dir.string() +
           " has " + gigabytes(space.available) + " free";
  }
  if (const auto total = meminfo("MemTotal"); total > 0 && needs.serving_bytes > total) {
    return "serving it needs about " + gigabytes(needs.serving_bytes) + " of memory, and this machine has " +
           gigabytes(total);
  }
  if (const auto available = meminfo("MemAvailable"); available > 0 && needs.serving_bytes > available) {
    spdlog::warn("serving this dataset needs about {} of memory; {} is available now", gigabytes(needs.serving_bytes),
                 gigabytes(available));
  }
  return {};
}

}  // namespace lodestone::server
