#include "lodestone/point_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace lodestone {
namespace {

const Box kRoom{{-2.0f, 0.0f, -2.0f}, {2.0f, 3.0f, 2.0f}};

std::vector<Vec3> random_points(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> x(kRoom.min.x, kRoom.max.x), y(kRoom.min.y, kRoom.max.y),
      z(kRoom.min.z, kRoom.max.z);
  std::vector<Vec3> points(n);
  for (auto& p : points) p = {x(rng), y(rng), z(rng)};
  return points;
}

void expect_within_bound(const std::vector<Vec3>& original, const std::vector<Vec3>& decoded) {
  ASSERT_EQ(original.size(), decoded.size());
  const Vec3 step = quantisation_step(kRoom);
  for (std::size_t i = 0; i < original.size(); ++i) {
    ASSERT_LE(std::fabs(original[i].x - decoded[i].x), step.x) << "point " << i;
    ASSERT_LE(std::fabs(original[i].y - decoded[i].y), step.y) << "point " << i;
    ASSERT_LE(std::fabs(original[i].z - decoded[i].z), step.z) << "point " << i;
  }
}

TEST(PointCodec, KeyframeRoundTripStaysWithinTheQuantisationStep) {
  const auto points = random_points(10'000, 1);
  const auto frame = encode_keyframe(quantise(points, kRoom));
  EXPECT_EQ(frame_kind(frame), FrameKind::Keyframe);
  auto decoded = decode_frame(frame, nullptr);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_within_bound(points, dequantise(*decoded));
}

TEST(PointCodec, PointsOutsideTheBoxAreClampedToIt) {
  const std::vector<Vec3> points{{-10, -10, -10}, {10, 10, 10}, {NAN, 1, 1}};
  const auto back = dequantise(quantise(points, kRoom));
  EXPECT_EQ(back[0], kRoom.min);
  EXPECT_EQ(back[1], kRoom.max);
  EXPECT_EQ(back[2].x, kRoom.min.x);
}

TEST(PointCodec, DeltaRoundTripReproducesTheNewCloudExactly) {
  auto points = random_points(5'000, 2);
  const auto base = quantise(points, kRoom);
  std::mt19937 rng(3);
  std::normal_distribution<float> nudge(0.0f, 0.01f);
  for (std::size_t i = 0; i < points.size(); i += 10) points[i].x += nudge(rng);
  const auto next = quantise(points, kRoom);
  const auto frame = encode_delta(base, next);
  EXPECT_EQ(frame_kind(frame), FrameKind::Delta);
  auto decoded = decode_frame(frame, &base);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, next);
}

TEST(PointCodec, DeltaAgainstAWrongBaseIsRefused) {
  const auto base = quantise(random_points(1'000, 4), kRoom);
  const auto other_base = quantise(random_points(1'000, 5), kRoom);
  const auto next = quantise(random_points(1'000, 6), kRoom);
  const auto frame = encode_delta(base, next);
  auto decoded = decode_frame(frame, &other_base);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("another base"), std::string::npos);
  EXPECT_FALSE(decode_frame(frame, nullptr).ok());
}

TEST(PointCodec, DeltaFallsBackToKeyframeWhenTheCountChanges) {
  const auto base = quantise(random_points(100, 7), kRoom);
  const auto next = quantise(random_points(120, 8), kRoom);
  const auto frame = encode_delta(base, next);
  EXPECT_EQ(frame_kind(frame), FrameKind::Keyframe);
  auto decoded = decode_frame(frame, &base);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, next);
}

TEST(PointCodec, SmallMotionCompressesFarBelowTheRawSize) {
  auto points = random_points(10'000, 9);
  const auto base = quantise(points, kRoom);
  for (auto& p : points) p.y += 0.001f;
  const auto frame = encode_delta(base, quantise(points, kRoom));
  EXPECT_LT(frame.size(), points.size() * 6 / 4);
}

// Points gliding at constant speeds (some still, some at the edge of the box).
std::vector<Vec3> glide(const std::vector<Vec3>& start, const std::vector<Vec3>& velocity, float t) {
  std::vector<Vec3> points(start.size());
  for (std::size_t i = 0; i < start.size(); ++i) {
    points[i] = {start[i].x + velocity[i].x * t, start[i].y + velocity[i].y * t, start[i].z + velocity[i].z * t};
  }
  return points;
}

TEST(PointCodec, PredictedDeltaRoundTripIsExactAndAConstantGlideCostsAlmostNothing) {
  const auto start = random_points(10'000, 21);
  std::mt19937 rng(22);
  std::uniform_real_distribution<float> speed(-0.05f, 0.05f);  // metres per snapshot
  std::vector<Vec3> velocity(start.size());
  for (std::size_t i = 0; i < velocity.size(); ++i) {
    if (i % 3 != 0) velocity[i] = {speed(rng), speed(rng), speed(rng)};  // a third stay still
  }
  const auto previous = quantise(glide(start, velocity, 0), kRoom);
  const auto base = quantise(glide(start, velocity, 1), kRoom);
  // Two snapshots ahead of the base, previous one behind it; then previous three behind.
  for (auto [behind, ahead] : {std::pair{1u, 2u}, std::pair{1u, 1u}}) {
    const auto next = quantise(glide(start, velocity, 1.0f + static_cast<float>(ahead)), kRoom);
    const auto predicted = encode_predicted_delta(previous, base, next, behind, ahead);
    EXPECT_EQ(frame_kind(predicted), FrameKind::PredictedDelta);
    EXPECT_EQ(frame_prediction_gap(predicted), behind);
    auto decoded = decode_frame(predicted, &base, &previous);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, next);
    // Against the plain delta the motion costs several bytes a point; predicted, the
    // residual is rounding (a quantum at most), a small fraction of that.
    const auto plain = encode_delta(base, next);
    EXPECT_LT(predicted.size() * 3, plain.size()) << "predicted " << predicted.size() << " B, plain " << plain.size();
  }
}

TEST(PointCodec, PredictedDeltaNeedsTheSnapshotsItWasMadeAgainst) {
  const auto previous = quantise(random_points(500, 31), kRoom);
  const auto base = quantise(random_points(500, 32), kRoom);
  const auto other = quantise(random_points(500, 33), kRoom);
  const auto next = quantise(random_points(500, 34), kRoom);
  const auto frame = encode_predicted_delta(previous, base, next, 1, 1);
  EXPECT_FALSE(decode_frame(frame, &base, nullptr).ok());
  EXPECT_FALSE(decode_frame(frame, &base, &other).ok());
  EXPECT_FALSE(decode_frame(frame, &other, &previous).ok());
  EXPECT_FALSE(decode_frame(frame, &previous, &base).ok()) << "base and previous swapped";
  EXPECT_TRUE(decode_frame(frame, &base, &previous).ok());
  // Gaps the header cannot hold fall back to a plain delta, which needs only the base.
  const auto fallback = encode_predicted_delta(previous, base, next, 0, 1);
  EXPECT_EQ(frame_kind(fallback), FrameKind::Delta);
  EXPECT_EQ(*decode_frame(fallback, &base), next);
}

TEST(PointCodec, CorruptOrTruncatedFramesAreRefused) {
  const auto frame = encode_keyframe(quantise(random_points(500, 10), kRoom));
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{44}, frame.size() - 1}) {
    EXPECT_FALSE(decode_frame(std::span(frame.data(), n), nullptr).ok()) << n << " bytes";
  }
  auto corrupt = frame;
  corrupt[50] ^= 0xFF;
  corrupt[60] ^= 0xFF;
  EXPECT_FALSE(decode_frame(corrupt, nullptr).ok());
  auto huge = frame;
  const std::uint32_t count = 0xFFFFFFFF;
  std::memcpy(huge.data() + 4, &count, 4);
  EXPECT_FALSE(decode_frame(huge, nullptr).ok());
}

}  // namespace
}  // namespace lodestone
