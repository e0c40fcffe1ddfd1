#pragma once
// Fast non-cryptographic 64-bit hashes: content identity (migrations, thumbnails,
// snapshot bases). Not for secrets.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lodestone {

std::uint64_t hash64(std::span<const std::byte> bytes, std::uint64_t seed = 0);
std::uint64_t hash64(std::string_view text, std::uint64_t seed = 0);
std::string to_hex(std::uint64_t value);

}  // namespace lodestone
