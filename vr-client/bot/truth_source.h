#pragma once
// Ground truth for the oracle policy, read from the server's database file (read-only).
// Annotators never see it; bots use it to label as a careful person would.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::bot {

// Class name per item index of the dataset (nullopt where unknown); throws with a
// reason when the file cannot be read.
std::vector<std::optional<std::string>> read_ground_truth(const std::filesystem::path& database,
                                                          std::int64_t dataset_id);

}  // namespace lodestone::bot
