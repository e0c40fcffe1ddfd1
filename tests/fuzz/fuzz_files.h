#pragma once
// The file readers take paths, so the fuzz input goes through a scratch folder of this
// process (under $TMPDIR or /tmp), made once and reused for every input.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace lodestone::fuzz {

const std::filesystem::path& scratch_folder();
// Writes `size` bytes at `data` to scratch_folder() / name, replacing what was there.
std::filesystem::path write_scratch_file(const std::filesystem::path& name,
                                         const std::uint8_t* data, std::size_t size);

}  // namespace lodestone::fuzz
