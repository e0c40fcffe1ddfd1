#pragma once
// Whether this machine can hold a dataset, decided before any of it is stored: what the
// database grows by against the free space where it lives (and --max-database-mb), and
// the memory serving it takes (the model's copy of every thumbnail as floats, the room's,
// the neighbour graph) against the machine's memory. Estimates, stated as such.
#include "dataset/dataset.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace lodestone::server {

struct ImportNeeds {
  std::uint64_t database_bytes = 0;  // what storing it adds to the database
  std::uint64_t serving_bytes = 0;   // resident memory of `serve` on it
};

ImportNeeds import_needs(std::size_t items, std::size_t pixels_per_item);

// Empty when the dataset fits; else why not, with the figures (needed, available).
// `max_database_mb`: a cap on the whole database file (0: none).
std::string capacity_problem(const ImportNeeds& needs, const std::filesystem::path& data_dir,
                             double max_database_mb);

}  // namespace lodestone::server
