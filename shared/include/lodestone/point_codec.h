#pragma once
// Point-cloud codec for snapshots. Positions are quantised to 16 bits per axis inside a
// stated box (error at most extent / 65535 per axis), optionally taken as a delta against
// a base snapshot the receiver holds, then compressed with zstd.
//
// Frame layout (little endian):
//   u8  kind (1 keyframe, 2 delta, 3 predicted delta)
//   u8  ahead, u16 behind (predicted only; 0 otherwise)
//   u32 point count                  f32[6] box min xyz, max xyz
//   u64 checksum of the base's quantised values (deltas; predicted: of base and previous)
//   u32 compressed body length       body: zstd frame
// The body holds, per axis, the low bytes of all points then the high bytes. A delta
// stores each value minus the base's (mod 2^16), zigzag-coded, so a still point is 0.
// A predicted delta stores each value minus where the point would be had it kept the
// velocity it had from `previous` to `base`: base + (base − previous) · ahead / behind,
// where `behind` snapshots separate previous from base and `ahead` separate base from
// this one. A point gliding at constant speed then costs zero too.
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

enum class FrameKind : std::uint8_t { Keyframe = 1, Delta = 2, PredictedDelta = 3 };

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

// A predicted delta of `cloud` against `base` and the `previous` snapshot before it
// (`behind` snapshots apart; `cloud` is `ahead` snapshots after `base`). Falls back to a
// plain delta when the clouds do not match or the gaps are out of range.
std::vector<std::uint8_t> encode_predicted_delta(const QuantisedCloud& previous, const QuantisedCloud& base,
                                                 const QuantisedCloud& cloud, std::uint32_t behind,
                                                 std::uint32_t ahead, int zstd_level = 1);

FrameKind frame_kind(std::span<const std::uint8_t> frame);
// How many snapshots before its base a predicted delta's previous snapshot is; 0 for
// other frames. The receiver looks that snapshot up to decode the frame.
std::uint32_t frame_prediction_gap(std::span<const std::uint8_t> frame);
// Decodes a frame. A delta needs the base it was made against, a predicted delta also
// the previous snapshot; decoding against any others is refused (their checksum is in
// the frame).
Result<QuantisedCloud, CodecError> decode_frame(std::span<const std::uint8_t> frame,
                                                const QuantisedCloud* base,
                                                const QuantisedCloud* previous = nullptr);

std::uint64_t checksum(const QuantisedCloud& cloud);

}  // namespace lodestone
