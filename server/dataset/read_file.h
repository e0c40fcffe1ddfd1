#pragma once
// Whole-file reading for the dataset readers; transparently inflates gzip.
#include "dataset/dataset.h"
#include "lodestone/result.h"

#include <filesystem>
#include <vector>

namespace lodestone::dataset {

Result<std::vector<std::uint8_t>, ImportError> read_file_bytes(const std::filesystem::path& path);

}  // namespace lodestone::dataset
