#pragma once
// A file written aside and renamed into place, so a client killed mid-write leaves no
// half file behind for the next session to trust (the caches of clips and thumbnails).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace lodestone::client {

// Writes `bytes` to `path` (its folder made first); empty on success, else why not.
std::string write_aside(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace lodestone::client
