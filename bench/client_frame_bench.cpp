// The VR client's cost at 10k, 70k and 1M items, on the Vulkan device at hand (lavapipe here).
// Prints per size:
//  - client CPU per frame: this thread's CPU time to build the frame's shapes and time
//    uniform, upload them and record and submit the draw (the GPU's own work excluded:
//    lavapipe rasterises on its own threads while this one waits);
//  - wall time per frame: what the device took, 1280×720, one eye;
//  - applying one snapshot: decode (zstd, 16-bit) → positions → per-item instance data →
//    upload, the work done once per snapshot rather than per frame (past 100k items it also
//    picks the nearest to draw as cubes);
//  - what one eye draws of the items: cubes (12 triangles each) and far points.
//
//   client_frame_bench [--items 10000,70000,1000000] [--frames 20] [--shots DIR]
// Besides the table, prints `RESULT key value` lines for bench/run-all.
#include "bench_flags.h"
#include "backends/offscreen.h"
#include "client/fake_channel.h"
#include "core/cube_instances.h"
#include "core/frame_scene_builder.h"
#include "lodestone/point_codec.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <sstream>
#include <string>

namespace {

using namespace lodestone;
using Clock = std::chrono::steady_clock;

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

constexpr Vec3 kViewer{0, 1.6f, 3.5f};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }


double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void run(render::GpuContext& gpu, std::uint32_t items, int frames, const std::string& shots) {
  const Box room{{-2, 0.2f, -2}, {2, 2.6f, 2}};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> ux(room.min.x, room.max.x), uy(room.min.y, room.max.y), uz(room.min.z, room.max.z);
  std::vector<Vec3> a(items), b(items);
  for (auto& p : a) p = {ux(rng), uy(rng), uz(rng)};
  for (std::size_t i = 0; i < items; ++i) b[i] = {a[i].x + 0.01f, a[i].y, a[i].z};

  client::SceneState scene;
  scene.me = Welcome{1, "bench", Role::Annotator, 0xFFFFFF, "bench"};
  scene.dataset = DatasetDescription{1, "bench", items, 28, 28, 1, 0, 0, room};
  for (int c = 0; c < 10; ++c) scene.label_set.classes.push_back({c + 1, std::to_string(c), 0x203040u * static_cast<std::uint32_t>(c + 1), static_cast<std::uint32_t>(c)});
  for (std::uint32_t i = 0; i < items; i += 10) scene.labels[i] = 1 + i % 10;  // 10 % labelled
  for (int s = 0; s < 8; ++s) scene.spheres[s + 1] = Sphere{s + 1, 1, a[static_cast<std::size_t>(s)], 0.3f, 1 + s};
  for (int u = 0; u < 4; ++u) {
    Presence p;
    p.user_id = 10 + u;
    p.name = "user" + std::to_string(u);
    p.head.position = {static_cast<float>(u) - 1.5f, 1.7f, 2.5f};
    scene.others[p.user_id] = p;
  }
  std::vector<std::uint8_t> thumbs(std::size_t{items} * 28 * 28);
  for (auto& t : thumbs) t = static_cast<std::uint8_t>(rng() & 0xFF);

  render::OffscreenRenderer offscreen(gpu, 1280, 720);
  offscreen.renderer().set_thumbnails({thumbs.data(), items, 28, 28, 1});

  // Applying one snapshot: decode, buffer, rebuild the instances, upload.
  const auto frame_a = encode_keyframe(quantise(a, room));
  const auto frame_b = encode_keyframe(quantise(b, room));
  client::SnapshotBuffer buffer;
  client::CubeInstances cubes;
  std::vector<double> apply;
  for (int k = 0; k < 10; ++k) {
    const auto& encoded = (k % 2 == 0) ? frame_a : frame_b;
    const auto start = Clock::now();
    auto cloud = decode_frame(encoded, nullptr);
    buffer.add(static_cast<std::uint64_t>(k + 1), 0.1 * k, dequantise(*cloud));
    cubes.refresh(buffer.bracket(0.1 * k - 0.05), scene, {}, kViewer);
    offscreen.renderer().set_cubes(cubes.instances(), cubes.near_count());
    apply.push_back(ms_since(start));
  }

  client::FakeChannel channel;
  client::InteractionMachine machine(channel);
  client::EyeView eye;
  eye.view = look_at(kViewer, {0, 1.4f, 0}, {0, 1, 0});
  eye.projection = perspective(1.05f, 1280.0f / 720, 0.05f, 100);
  eye.position = kViewer;
  std::vector<double> cpu, wall;
  const auto bracket = buffer.bracket(0.85);
  for (int f = 0; f < frames + 2; ++f) {
    const double cpu0 = thread_cpu_ms();
    const auto start = Clock::now();
    auto frame = client::build_frame_scene(scene, machine, {}, {1280, 720, {"status line", "another line"}});
    client::set_interpolation_time(frame, bracket, 0.85 + 0.001 * f);
    const auto image = offscreen.render(frame, eye);
    if (f == frames + 1 && !shots.empty()) {
      std::string error;
      const auto path = shots + "/items-" + std::to_string(items) + ".png";
      if (!render::write_png(path, image, error)) std::fprintf(stderr, "%s\n", error.c_str());
    }
    if (f >= 2) {  // the first frames compile shaders
      cpu.push_back(thread_cpu_ms() - cpu0);
      wall.push_back(ms_since(start));
    }
  }
  const auto& drawn = offscreen.renderer();
  std::printf("%7u items: client CPU per frame %.2f ms (median of %d), wall per frame %.1f ms on the device, "
              "apply one snapshot %.2f ms; drawn: %zu cubes (%zu triangles) and %zu points\n",
              items, median(cpu), frames, median(wall), median(apply), drawn.cube_count() - drawn.point_count(),
              drawn.item_triangles(), drawn.point_count());
  std::printf("RESULT client.%uk.cpu_ms_per_frame %.3f\nRESULT client.%uk.wall_ms_per_frame %.1f\n"
              "RESULT client.%uk.apply_snapshot_ms %.3f\nRESULT client.%uk.item_triangles %zu\n"
              "RESULT client.%uk.points %zu\n",
              items / 1000, median(cpu), items / 1000, median(wall), items / 1000, median(apply), items / 1000,
              drawn.item_triangles(), items / 1000, drawn.point_count());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags("client_frame_bench", "the VR client's CPU per frame and per snapshot",
                            {{"frames", "20", "frames measured per size", std::pair{1.0, 1e6}},
                             {"items", "10000,70000,1000000", "cloud sizes, comma-separated"},
                             {"shots", "", "a folder: write the last frame of each size there as items-N.png"}},
                            argc, argv);
  render::GpuContext gpu;
  std::printf("device: %s\n", gpu.device_name().c_str());
  std::printf("RESULT machine.vulkan_device %s\n", gpu.device_name().c_str());
  const int frames = flags.integer("frames");
  std::stringstream sizes(flags.text("items"));
  for (std::string part; std::getline(sizes, part, ',');) run(gpu, static_cast<std::uint32_t>(std::stoul(part)), frames, flags.text("shots"));
  return 0;
}
