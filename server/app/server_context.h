#pragma once
// Where the server keeps its state, and opening it: the data directory holds the
// SQLite database and the checkpoints.
#include "store/database.h"

#include <filesystem>

namespace lodestone::server {

// --data-dir, else $LODESTONE_DATA_DIR, else ~/.local/share/lodestone.
std::filesystem::path resolve_data_dir(const std::optional<std::string>& option);

// Opens the database under `data_dir` (creating both if needed) and brings its schema
// up to date with the bundled migrations, logging what was applied.
store::Database open_store(const std::filesystem::path& data_dir);

// The dataset cache deploy/setup.sh fills: $LODESTONE_DATA_CACHE or ~/.cache/lodestone.
std::filesystem::path default_data_cache();

}  // namespace lodestone::server
