// Point codec and sphere membership at room sizes: 10k and 70k points.
// Targets (foundation issue): 70k keyframe encode < 5 ms; membership over 70k < 1 ms.
#include "lodestone/point_codec.h"
#include "lodestone/sphere_geometry.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

namespace {

using namespace lodestone;

const Box kRoom{{-2.0f, 0.0f, -2.0f}, {2.0f, 3.0f, 2.0f}};

std::vector<Vec3> cloud(std::size_t n) {
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 0.5f);
  std::vector<Vec3> points(n);
  for (auto& p : points) p = {g(rng), 1.5f + g(rng), g(rng)};
  return points;
}

// A realistic small motion: every point drifts a few millimetres, as between two
// 10 Hz snapshots of a smoothed training refresh.
std::vector<Vec3> drifted(std::vector<Vec3> points) {
  std::mt19937 rng(2);
  std::normal_distribution<float> g(0.0f, 0.003f);
  for (auto& p : points) p = {p.x + g(rng), p.y + g(rng), p.z + g(rng)};
  return points;
}

void KeyframeEncode(benchmark::State& state) {
  const auto q = quantise(cloud(static_cast<std::size_t>(state.range(0))), kRoom);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto frame = encode_keyframe(q);
    bytes = frame.size();
    benchmark::DoNotOptimize(frame);
  }
  state.counters["bytes_per_point"] = static_cast<double>(bytes) / static_cast<double>(state.range(0));
}

void KeyframeDecode(benchmark::State& state) {
  const auto frame = encode_keyframe(quantise(cloud(static_cast<std::size_t>(state.range(0))), kRoom));
  for (auto _ : state) benchmark::DoNotOptimize(decode_frame(frame, nullptr));
}

void DeltaEncode(benchmark::State& state) {
  const auto points = cloud(static_cast<std::size_t>(state.range(0)));
  const auto base = quantise(points, kRoom);
  const auto next = quantise(drifted(points), kRoom);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto frame = encode_delta(base, next);
    bytes = frame.size();
    benchmark::DoNotOptimize(frame);
  }
  state.counters["bytes_per_point"] = static_cast<double>(bytes) / static_cast<double>(state.range(0));
  state.counters["vs_raw_6B"] = static_cast<double>(bytes) / (6.0 * static_cast<double>(state.range(0)));
}

void DeltaDecode(benchmark::State& state) {
  const auto points = cloud(static_cast<std::size_t>(state.range(0)));
  const auto base = quantise(points, kRoom);
  const auto frame = encode_delta(base, quantise(drifted(points), kRoom));
  for (auto _ : state) benchmark::DoNotOptimize(decode_frame(frame, &base));
}

// Three snapshots of a glide: every point moves the same few millimetres each snapshot,
// as the room's glide toward a training refresh does (in whole quantisation steps).
struct Glide {
  QuantisedCloud previous, base, next;
};
Glide glide(std::size_t n) {
  const auto previous = quantise(cloud(n), kRoom);
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> step(-60, 60);  // ±3.7 mm a snapshot on the 4 m axes
  Glide g{previous, previous, previous};
  for (std::size_t i = 0; i < previous.xyz.size(); ++i) {
    const int s = step(rng);
    g.base.xyz[i] = static_cast<std::uint16_t>(std::clamp(previous.xyz[i] + s, 0, 65535));
    g.next.xyz[i] = static_cast<std::uint16_t>(std::clamp(previous.xyz[i] + 2 * s, 0, 65535));
  }
  return g;
}

void PredictedDeltaEncode(benchmark::State& state) {
  const auto g = glide(static_cast<std::size_t>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto frame = encode_predicted_delta(g.previous, g.base, g.next, 1, 1);
    bytes = frame.size();
    benchmark::DoNotOptimize(frame);
  }
  state.counters["bytes_per_point"] = static_cast<double>(bytes) / static_cast<double>(state.range(0));
  state.counters["plain_delta_bytes_per_point"] =
      static_cast<double>(encode_delta(g.base, g.next).size()) / static_cast<double>(state.range(0));
}

void PredictedDeltaDecode(benchmark::State& state) {
  const auto g = glide(static_cast<std::size_t>(state.range(0)));
  const auto frame = encode_predicted_delta(g.previous, g.base, g.next, 1, 1);
  for (auto _ : state) benchmark::DoNotOptimize(decode_frame(frame, &g.base, &g.previous));
}

void SphereMembership(benchmark::State& state) {
  const auto points = cloud(static_cast<std::size_t>(state.range(0)));
  std::size_t inside = 0;
  for (auto _ : state) {
    auto hits = points_inside(points, {0.2f, 1.4f, -0.1f}, 0.3f);
    inside = hits.size();
    benchmark::DoNotOptimize(hits);
  }
  state.counters["points_inside"] = static_cast<double>(inside);
}

BENCHMARK(KeyframeEncode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(KeyframeDecode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(DeltaEncode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(DeltaDecode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(PredictedDeltaEncode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(PredictedDeltaDecode)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMillisecond);
BENCHMARK(SphereMembership)->Arg(10'000)->Arg(70'000)->Unit(benchmark::kMicrosecond);

}  // namespace
