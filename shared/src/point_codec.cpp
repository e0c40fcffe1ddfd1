#include "lodestone/point_codec.h"

#include "lodestone/hash.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lodestone {
namespace {

constexpr std::size_t kHeaderSize = 44;
constexpr float kLevels = 65535.0f;

std::uint16_t zigzag(std::uint16_t diff) {
  const auto d = static_cast<std::int16_t>(diff);
  return static_cast<std::uint16_t>((static_cast<unsigned>(d) << 1) ^
                                    static_cast<unsigned>(d >> 15));
}
std::uint16_t unzigzag(std::uint16_t z) {
  return static_cast<std::uint16_t>((z >> 1) ^ (0u - (z & 1u)));
}

template <class T>
void put(std::vector<std::uint8_t>& out, std::size_t at, T value) {
  std::memcpy(out.data() + at, &value, sizeof(T));
}
template <class T>
T get(std::span<const std::uint8_t> in, std::size_t at) {
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  return value;
}

// Planar byte layout: zstd finds the long runs of zero high bytes of a gentle delta.
std::vector<std::uint8_t> to_planes(const std::vector<std::uint16_t>& values) {
  const std::size_t n = values.size() / 3;
  std::vector<std::uint8_t> planes(values.size() * 2);
  for (std::size_t axis = 0; axis < 3; ++axis) {
    std::uint8_t* low = planes.data() + axis * 2 * n;
    std::uint8_t* high = low + n;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint16_t v = values[i * 3 + axis];
      low[i] = static_cast<std::uint8_t>(v & 0xFF);
      high[i] = static_cast<std::uint8_t>(v >> 8);
    }
  }
  return planes;
}

std::vector<std::uint16_t> from_planes(const std::vector<std::uint8_t>& planes, std::size_t n) {
  std::vector<std::uint16_t> values(n * 3);
  for (std::size_t axis = 0; axis < 3; ++axis) {
    const std::uint8_t* low = planes.data() + axis * 2 * n;
    const std::uint8_t* high = low + n;
    for (std::size_t i = 0; i < n; ++i) {
      values[i * 3 + axis] = static_cast<std::uint16_t>(low[i] | (high[i] << 8));
    }
  }
  return values;
}

// Where a point would be had it kept its velocity from `previous` to `base`, in the
// quantised grid; encoder and decoder compute exactly the same integer.
std::uint16_t predict(std::uint16_t previous, std::uint16_t base, std::uint32_t behind, std::uint32_t ahead) {
  const std::int64_t step = (static_cast<std::int64_t>(base) - previous) * ahead;
  const auto half = static_cast<std::int64_t>(behind / 2);
  const std::int64_t rounded = step >= 0 ? (step + half) / behind : -((-step + half) / behind);
  return static_cast<std::uint16_t>(std::clamp<std::int64_t>(base + rounded, 0, 65535));
}

std::uint64_t pair_checksum(const QuantisedCloud& base, const QuantisedCloud& previous) {
  const std::uint64_t both[2] = {checksum(base), checksum(previous)};
  return hash64(std::as_bytes(std::span(both)));
}

struct Prediction {
  std::uint8_t ahead = 0;
  std::uint16_t behind = 0;
};

std::vector<std::uint8_t> write_frame(FrameKind kind, const Box& box, std::size_t count,
                                      std::uint64_t base_checksum,
                                      const std::vector<std::uint8_t>& raw, int level,
                                      Prediction prediction = {}) {
  std::vector<std::uint8_t> out(kHeaderSize + ZSTD_compressBound(raw.size()));
  const std::size_t compressed = ZSTD_compress(out.data() + kHeaderSize, out.size() - kHeaderSize,
                                               raw.data(), raw.size(), level);
  // Compressing into a buffer of ZSTD_compressBound size cannot fail.
  out.resize(kHeaderSize + compressed);
  put<std::uint8_t>(out, 0, static_cast<std::uint8_t>(kind));
  put<std::uint8_t>(out, 1, prediction.ahead);
  put<std::uint16_t>(out, 2, prediction.behind);
  put<std::uint32_t>(out, 4, static_cast<std::uint32_t>(count));
  const float corners[6] = {box.min.x, box.min.y, box.min.z, box.max.x, box.max.y, box.max.z};
  std::memcpy(out.data() + 8, corners, sizeof corners);
  put<std::uint64_t>(out, 32, base_checksum);
  put<std::uint32_t>(out, 40, static_cast<std::uint32_t>(compressed));
  return out;
}

float axis_extent(float lo, float hi) { return hi - lo; }

std::uint16_t quantise_axis(float value, float lo, float hi) {
  const float extent = axis_extent(lo, hi);
  float t = extent > 0 ? (value - lo) / extent : 0.0f;
  if (!(t >= 0.0f)) t = 0.0f;  // below the box, or NaN
  if (t > 1.0f) t = 1.0f;
  return static_cast<std::uint16_t>(std::lround(t * kLevels));
}

}  // namespace

QuantisedCloud quantise(std::span<const Vec3> points, const Box& box) {
  QuantisedCloud cloud{box, std::vector<std::uint16_t>(points.size() * 3)};
  for (std::size_t i = 0; i < points.size(); ++i) {
    cloud.xyz[i * 3 + 0] = quantise_axis(points[i].x, box.min.x, box.max.x);
    cloud.xyz[i * 3 + 1] = quantise_axis(points[i].y, box.min.y, box.max.y);
    cloud.xyz[i * 3 + 2] = quantise_axis(points[i].z, box.min.z, box.max.z);
  }
  return cloud;
}

std::vector<Vec3> dequantise(const QuantisedCloud& cloud) {
  const Box& b = cloud.box;
  const Vec3 scale{axis_extent(b.min.x, b.max.x) / kLevels, axis_extent(b.min.y, b.max.y) / kLevels,
                   axis_extent(b.min.z, b.max.z) / kLevels};
  std::vector<Vec3> points(cloud.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i] = {b.min.x + cloud.xyz[i * 3 + 0] * scale.x, b.min.y + cloud.xyz[i * 3 + 1] * scale.y,
                 b.min.z + cloud.xyz[i * 3 + 2] * scale.z};
  }
  return points;
}

Vec3 quantisation_step(const Box& box) {
  return {axis_extent(box.min.x, box.max.x) / kLevels, axis_extent(box.min.y, box.max.y) / kLevels,
          axis_extent(box.min.z, box.max.z) / kLevels};
}

std::uint64_t checksum(const QuantisedCloud& cloud) {
  const float corners[6] = {cloud.box.min.x, cloud.box.min.y, cloud.box.min.z,
                            cloud.box.max.x, cloud.box.max.y, cloud.box.max.z};
  const std::uint64_t box_hash = hash64(std::as_bytes(std::span(corners)));
  return hash64(std::as_bytes(std::span(cloud.xyz)), box_hash);
}

std::vector<std::uint8_t> encode_keyframe(const QuantisedCloud& cloud, int zstd_level) {
  return write_frame(FrameKind::Keyframe, cloud.box, cloud.size(), 0, to_planes(cloud.xyz),
                     zstd_level);
}

std::vector<std::uint8_t> encode_delta(const QuantisedCloud& base, const QuantisedCloud& cloud,
                                       int zstd_level) {
  if (base.box != cloud.box || base.xyz.size() != cloud.xyz.size()) {
    return encode_keyframe(cloud, zstd_level);
  }
  std::vector<std::uint16_t> diff(cloud.xyz.size());
  for (std::size_t i = 0; i < diff.size(); ++i) {
    diff[i] = zigzag(static_cast<std::uint16_t>(cloud.xyz[i] - base.xyz[i]));
  }
  return write_frame(FrameKind::Delta, cloud.box, cloud.size(), checksum(base), to_planes(diff),
                     zstd_level);
}

std::vector<std::uint8_t> encode_predicted_delta(const QuantisedCloud& previous, const QuantisedCloud& base,
                                                 const QuantisedCloud& cloud, std::uint32_t behind,
                                                 std::uint32_t ahead, int zstd_level) {
  if (previous.box != base.box || previous.xyz.size() != base.xyz.size() || behind == 0 || behind > 0xFFFF ||
      ahead == 0 || ahead > 0xFF) {
    return encode_delta(base, cloud, zstd_level);
  }
  if (base.box != cloud.box || base.xyz.size() != cloud.xyz.size()) return encode_keyframe(cloud, zstd_level);
  std::vector<std::uint16_t> residual(cloud.xyz.size());
  for (std::size_t i = 0; i < residual.size(); ++i) {
    const auto predicted = predict(previous.xyz[i], base.xyz[i], behind, ahead);
    residual[i] = zigzag(static_cast<std::uint16_t>(cloud.xyz[i] - predicted));
  }
  return write_frame(FrameKind::PredictedDelta, cloud.box, cloud.size(), pair_checksum(base, previous),
                     to_planes(residual), zstd_level,
                     {static_cast<std::uint8_t>(ahead), static_cast<std::uint16_t>(behind)});
}

FrameKind frame_kind(std::span<const std::uint8_t> frame) {
  if (frame.empty()) return FrameKind::Keyframe;
  if (frame[0] == static_cast<std::uint8_t>(FrameKind::Delta)) return FrameKind::Delta;
  if (frame[0] == static_cast<std::uint8_t>(FrameKind::PredictedDelta)) return FrameKind::PredictedDelta;
  return FrameKind::Keyframe;
}

std::uint32_t frame_prediction_gap(std::span<const std::uint8_t> frame) {
  if (frame.size() < kHeaderSize || frame_kind(frame) != FrameKind::PredictedDelta) return 0;
  return get<std::uint16_t>(frame, 2);
}

Result<QuantisedCloud, CodecError> decode_frame(std::span<const std::uint8_t> frame,
                                                const QuantisedCloud* base, const QuantisedCloud* previous) {
  if (frame.size() < kHeaderSize) {
    return CodecError{"snapshot frame of " + std::to_string(frame.size()) +
                      " bytes is shorter than its " + std::to_string(kHeaderSize) + "-byte header"};
  }
  const auto kind = get<std::uint8_t>(frame, 0);
  if (kind != static_cast<std::uint8_t>(FrameKind::Keyframe) && kind != static_cast<std::uint8_t>(FrameKind::Delta) &&
      kind != static_cast<std::uint8_t>(FrameKind::PredictedDelta)) {
    return CodecError{"unknown snapshot frame kind " + std::to_string(kind)};
  }
  const std::size_t count = get<std::uint32_t>(frame, 4);
  if (count > kMaxCodecPoints) {
    return CodecError{"snapshot claims " + std::to_string(count) + " points, at most " +
                      std::to_string(kMaxCodecPoints) + " are accepted"};
  }
  float corners[6];
  std::memcpy(corners, frame.data() + 8, sizeof corners);
  const Box box{{corners[0], corners[1], corners[2]}, {corners[3], corners[4], corners[5]}};
  for (float c : corners) {
    if (!std::isfinite(c)) return CodecError{"snapshot box is not finite"};
  }
  const auto base_checksum = get<std::uint64_t>(frame, 32);
  const std::size_t compressed = get<std::uint32_t>(frame, 40);
  if (compressed != frame.size() - kHeaderSize) {
    return CodecError{"snapshot body is " + std::to_string(frame.size() - kHeaderSize) +
                      " bytes, the header announces " + std::to_string(compressed)};
  }
  const bool is_predicted = kind == static_cast<std::uint8_t>(FrameKind::PredictedDelta);
  const bool is_delta = kind == static_cast<std::uint8_t>(FrameKind::Delta) || is_predicted;
  const std::uint32_t ahead = get<std::uint8_t>(frame, 1);
  const std::uint32_t behind = get<std::uint16_t>(frame, 2);
  if (is_delta) {
    if (base == nullptr) return CodecError{"delta snapshot arrived without a base to apply it to"};
    if (base->size() != count || base->box != box) {
      return CodecError{"delta snapshot was made against another base than the one held"};
    }
  }
  if (is_predicted) {
    if (ahead == 0 || behind == 0) return CodecError{"predicted snapshot with a zero gap"};
    if (previous == nullptr) return CodecError{"predicted snapshot arrived without the snapshot before its base"};
    if (previous->size() != count || previous->box != box || pair_checksum(*base, *previous) != base_checksum) {
      return CodecError{"predicted snapshot was made against other snapshots than the ones held"};
    }
  } else if (is_delta && checksum(*base) != base_checksum) {
    return CodecError{"delta snapshot was made against another base than the one held"};
  }
  const std::size_t raw_size = count * 6;
  const auto* body = frame.data() + kHeaderSize;
  const unsigned long long declared = ZSTD_getFrameContentSize(body, compressed);
  if (declared != raw_size) {
    return CodecError{"snapshot body does not decompress to " + std::to_string(raw_size) +
                      " bytes for " + std::to_string(count) + " points"};
  }
  std::vector<std::uint8_t> raw(raw_size);
  const std::size_t got = ZSTD_decompress(raw.data(), raw.size(), body, compressed);
  if (ZSTD_isError(got) || got != raw_size) {
    return CodecError{std::string("snapshot body is corrupt: ") +
                      (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size")};
  }
  QuantisedCloud cloud{box, from_planes(raw, count)};
  if (is_predicted) {
    for (std::size_t i = 0; i < cloud.xyz.size(); ++i) {
      const auto predicted = predict(previous->xyz[i], base->xyz[i], behind, ahead);
      cloud.xyz[i] = static_cast<std::uint16_t>(predicted + unzigzag(cloud.xyz[i]));
    }
  } else if (is_delta) {
    for (std::size_t i = 0; i < cloud.xyz.size(); ++i) {
      cloud.xyz[i] = static_cast<std::uint16_t>(base->xyz[i] + unzigzag(cloud.xyz[i]));
    }
  }
  return cloud;
}

}  // namespace lodestone
