#pragma once
// Point-cloud codec for snapshots. Positions are quantised to 16 bits per axis inside a
// stated box (error at most extent / 65535 per axis), optionally taken as a delta against
// a base snapshot the receiver holds, then compressed with zstd.
//
// Frame layout (little endian):
//   u8  kind (1 keyframe, 2 delta)   u8[3] zero
//   u32 point count                  f32[6] box min xyz, max xyz
//   u64 checksum of the base's quantised values (delta only; 0 for keyframes)
//   u32 compressed body length       body: zstd frame
// The body holds, per axis, the low bytes of all points then the high bytes. A delta
// stores each value minus the base's (mod 2^16), zigzag-coded, so a still point is 0.
#include "lodestone/result.h"
#include "lodestone/types.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lodestone {

// Quantised positions: xyz interleaved, 3 values per point, inside `box`.
struct QuantisedCloud {
  Box box;
  std::vector<std::uint16_t> xyz;
  std::size_t size() const { return xyz.size() / 3; }
  friend bool operator==(const QuantisedCloud&, const QuantisedCloud&) = default;
};

enum class FrameKind : std::uint8_t { Keyframe = 1, Delta = 2 };

struct CodecError {
  std::string message;
};

inline constexpr std::size_t kMaxCodecPoints = 4'000'000;

QuantisedCloud quantise(std::span<const Vec3> points, const Box& box);
std::vector<Vec3> dequantise(const QuantisedCloud& cloud);
// Largest error quantisation can introduce on each axis of `box`.
Vec3 quantisation_step(const Box& box);

std::vector<std::uint8_t> encode_keyframe(const QuantisedCloud& cloud, int zstd_level = 1);
// A delta against `base`; falls back to a keyframe when the box or point count differ.
std::vector<std::uint8_t> encode_delta(const QuantisedCloud& base, const QuantisedCloud& cloud,
                                       int zstd_level = 1);

FrameKind frame_kind(std::span<const std::uint8_t> frame);
// Decodes a frame. A delta needs the base it was made against; a delta decoded against
// any other base is refused (the checksum of the base is in the frame).
Result<QuantisedCloud, CodecError> decode_frame(std::span<const std::uint8_t> frame,
                                                const QuantisedCloud* base);

std::uint64_t checksum(const QuantisedCloud& cloud);

}  // namespace lodestone
