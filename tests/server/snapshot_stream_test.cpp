// The room's snapshot stream as a client sees it: a refresh arrives as a glide, and the
// frames a client decodes (keyframe, delta, predicted delta) reproduce every snapshot.
#include "room/snapshot_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace lodestone::room {
namespace {

const Box kRoom{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
constexpr double kTick = 0.1;

std::vector<Vec3> random_points(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> x(-1.5f, 1.5f), y(0.5f, 2.3f);
  std::vector<Vec3> points(n);
  for (auto& p : points) p = {x(rng), y(rng), x(rng)};
  return points;
}


TEST(SnapshotStream, ARefreshGlidesAtConstantSpeedAndArrivesInTheSmoothingTime) {
  SnapshotStream stream(kRoom, 0.5, kTick);
  stream.set_target({{0, 1, 0}, {1, 1, 1}});
  stream.advance();
  const float step = quantisation_step(kRoom).x;
  EXPECT_NEAR(stream.display()[0].x, 0.0f, step) << "the first refresh appears in place";
  stream.set_target({{1, 1, 0}, {1.001f, 1, 1}});  // a 1 m move, and a 1 mm creep
  std::vector<float> xs;
  for (int tick = 0; tick < 7; ++tick) {
    stream.advance();
    xs.push_back(stream.display()[0].x);
  }
  EXPECT_NEAR(xs[0], 0.2f, 1e-4f) << "one tick of a 0.5 s glide covers a fifth of the way";
  for (std::size_t i = 1; i < 5; ++i) EXPECT_NEAR(xs[i] - xs[i - 1], xs[1] - xs[0], 1e-6f) << "unequal steps at " << i;
  EXPECT_NEAR(xs[4], 1.0f, 3 * step) << "it arrives, within a fraction of a millimetre";
  EXPECT_EQ(xs[6], xs[4]) << "it stops at the target";
  EXPECT_NEAR(stream.display()[1].x, 1.0f, step) << "a millimetre's creep is not sent";
}

// A client that acknowledges every snapshot it decodes, as the client core does.
struct Receiver {
  std::map<std::uint64_t, QuantisedCloud> held;
  std::uint64_t acked = 0, previous_acked = 0;
  std::size_t bytes = 0;
  std::map<FrameKind, int> kinds;

  void receive(SnapshotStream& stream) {
    const auto frame = stream.frame_for(acked, previous_acked);
    const auto& bytes_in = *frame.bytes;
    bytes += bytes_in.size();
    ++kinds[frame_kind(bytes_in)];
    const QuantisedCloud* base = frame.base_seq ? &held.at(frame.base_seq) : nullptr;
    const auto gap = frame_prediction_gap(bytes_in);
    const QuantisedCloud* previous = gap ? &held.at(frame.base_seq - gap) : nullptr;
    auto cloud = decode_frame(bytes_in, base, previous);
    ASSERT_TRUE(cloud.ok()) << cloud.error().message;
    EXPECT_EQ(*cloud, quantise(stream.display(), kRoom)) << "snapshot " << stream.seq();
    held[stream.seq()] = std::move(*cloud);
    previous_acked = acked;
    acked = stream.seq();
  }
};

TEST(SnapshotStream, AClientDecodesEverySnapshotAndTheGlideBetweenRefreshesIsNearlyFree) {
  SnapshotStream stream(kRoom, 0.5, kTick);
  auto target = random_points(5'000, 1);
  stream.set_target(target);
  stream.advance();
  Receiver client;
  client.receive(stream);
  ASSERT_EQ(client.kinds[FrameKind::Keyframe], 1);

  // Training: a new target every 0.3 s, every point 2–10 cm away from where it was.
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> move(-0.06f, 0.06f);
  std::size_t refresh_bytes = 0, glide_bytes = 0;
  int refresh_ticks = 0, glide_ticks = 0;
  for (int tick = 1; tick <= 60; ++tick) {
    const bool refresh = tick % 3 == 1;
    if (refresh) {
      for (auto& p : target) p = {p.x + move(rng), p.y + move(rng), p.z + move(rng)};
      stream.set_target(target);
    }
    stream.advance();
    const auto before = client.bytes;
    client.receive(stream);
    (refresh ? refresh_bytes : glide_bytes) += client.bytes - before;
    ++(refresh ? refresh_ticks : glide_ticks);
  }
  EXPECT_GT(client.kinds[FrameKind::PredictedDelta], 50);
  const double per_point_refresh = static_cast<double>(refresh_bytes) / refresh_ticks / 5'000;
  const double per_point_glide = static_cast<double>(glide_bytes) / glide_ticks / 5'000;
  std::printf("bytes per point: %.2f on a tick with a new target, %.2f while gliding (raw 6)\n", per_point_refresh,
              per_point_glide);
  EXPECT_LT(per_point_glide * 20, per_point_refresh) << "the glide between refreshes is not predicted";
}

TEST(SnapshotStream, AClientThatLostItsBaseGetsAKeyframe) {
  SnapshotStream stream(kRoom, 0.5, kTick, /*history=*/4);
  stream.set_target(random_points(100, 3));
  for (int i = 0; i < 10; ++i) stream.advance();
  EXPECT_EQ(frame_kind(*stream.frame_for(2, 1).bytes), FrameKind::Keyframe) << "snapshot 2 left the history";
  EXPECT_EQ(frame_kind(*stream.frame_for(8, 2).bytes), FrameKind::Delta) << "snapshot 2 left the history";
  EXPECT_EQ(frame_kind(*stream.frame_for(8, 7).bytes), FrameKind::PredictedDelta);
}

}  // namespace
}  // namespace lodestone::room
