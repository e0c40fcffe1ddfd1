// The room under load, on loopback: a real server process, N clients (the client core),
// training running. Prints per configuration: snapshot and prediction bytes per second per
// client (target under 40% of the raw 6 bytes per point per snapshot, predictions
// included; the predictions' share printed apart), snapshots delivered per
// client per second (target >= 9.5 at 10/s), server CPU, label intent -> acknowledgement
// latency p50/p99 (targets 10 ms / 50 ms), label -> first snapshot after it, and label ->
// first visible motion of the labelled items at the labelling client.
//
//   room_bench [--seconds S] [--warmup S] [--bots 1,4,16] [--items 10000,70000] [--talkers N]
//              [--encoder-channels N]
// With --talkers N the first N clients also talk all the time (50 Opus frames a second
// each): the row says whether the room keeps its snapshot rate and acknowledgements, and
// how the labeller hears the others (frames delivered, kbit/s per talker, relay latency).
// Besides the table, prints `RESULT key value` lines for bench/run-all.
#include "bench_args.h"
#include "bench_flags.h"
#include "mnist_idx.h"
#include "audio/voice_codec.h"
#include "core/cube_instances.h"
#include "core/math3d.h"
#include "core/room_client.h"
#include "core/voice_chat.h"
#include "dataset/readers.h"
#include "lodestone/sphere_geometry.h"
#include "support/server_process.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

using namespace lodestone;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::vector<int> list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) out.push_back(std::stoi(part));
  return out;
}


// CPU seconds (user + system) the process has used, from /proc.
double cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string field;
  for (int i = 1; i <= 13 && stat >> field; ++i) {
  }
  double utime = 0, stime = 0;
  stat >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A /proc/PID/status figure in megabytes (VmHWM: the peak resident set; VmRSS: now).
double status_mb(int pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;  // kB
  }
  return std::nan("");
}

// The items a label covered, where the labelling client showed them when the label was
// acknowledged: the label is "seen to move" once one of them has moved by 1 cm in that
// client's snapshots. (Whether training would have moved them anyway cannot be told
// apart; this is what the annotator sees.)
struct MotionWatch {
  Clock::time_point sent;
  std::vector<std::size_t> items;
  std::vector<Vec3> at;
};

MotionWatch watch_items_inside(Clock::time_point sent, const std::vector<Vec3>& positions, Vec3 center, float radius) {
  constexpr std::size_t kMaxWatched = 256;
  MotionWatch w{sent, {}, {}};
  for (const auto i : points_inside(positions, center, radius)) {
    if (w.items.size() == kMaxWatched) break;
    w.items.push_back(i);
    w.at.push_back(positions[i]);
  }
  return w;
}

bool moved(const MotionWatch& w, const std::vector<Vec3>& positions) {
  constexpr float kSeen = 0.01f;
  for (std::size_t k = 0; k < w.items.size(); ++k) {
    const auto& p = positions[w.items[k]];
    const Vec3 d{p.x - w.at[k].x, p.y - w.at[k].y, p.z - w.at[k].z};
    if (d.x * d.x + d.y * d.y + d.z * d.z >= kSeen * kSeen) return true;
  }
  return false;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The `most` items nearest `viewer`, as a client chooses the ones it draws as cubes.
std::vector<std::uint32_t> nearest_items(const std::vector<Vec3>& positions, Vec3 viewer, std::size_t most) {
  std::vector<std::uint32_t> items(positions.size());
  std::iota(items.begin(), items.end(), 0u);
  const auto d2 = [&](std::uint32_t i) {
    const Vec3 d = positions[i] - viewer;
    return d.x * d.x + d.y * d.y + d.z * d.z;
  };
  const std::size_t keep = std::min(most, items.size());
  std::nth_element(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(keep), items.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return d2(a) < d2(b); });
  items.resize(keep);
  return items;
}

void run(int bots, int items, double seconds, double warmup, int talkers, int encoder_channels) {
  testing::TempDir data;
  bench::write_mnist_idx(data.path(), items);
  const auto importing = Clock::now();
  testing::ServerProcess server(data / "images.idx", data / "labels.idx");
  const std::string size_key = "room." + std::to_string(items / 1000) + "k";
  std::printf("RESULT %s.import_seconds %.1f\nRESULT %s.database_mb %.0f\n", size_key.c_str(), seconds_since(importing),
              size_key.c_str(), static_cast<double>(std::filesystem::file_size(server.database())) / 1e6);
  std::vector<std::string> tokens;
  for (int i = 0; i < bots; ++i) tokens.push_back(server.make_token("bench-" + std::to_string(i), "annotator"));
  std::vector<std::string> serve_args{"--status-seconds", "3600"};
  if (encoder_channels > 0) serve_args.insert(serve_args.end(), {"--encoder-channels", std::to_string(encoder_channels)});
  server.start_as_deployed(serve_args);
  // The first client downloads the thumbnails as any newcomer does (timed: the join a
  // user waits for); the others announce the content hash a client that cached them
  // sends, as clients rejoining a room do, so 16 joins at 70k do not cost 16 × 55 MB.
  std::vector<std::unique_ptr<client::RoomClient>> clients;
  // With talkers the row is voice's (their figures beside the room's own, under "voice.").
  const std::string key =
      (talkers > 0 ? "voice." : "room.") + std::to_string(bots) + "x" + std::to_string(items / 1000) + "k";
  const auto joining = Clock::now();
  for (int i = 0; i < bots; ++i) {
    const std::uint64_t cached = clients.empty() ? 0 : clients.front()->scene().dataset->thumbnails_hash;
    auto c = std::make_unique<client::RoomClient>(client::ConnectOptions{
        "127.0.0.1", server.port(), tokens[static_cast<std::size_t>(i)], "bench", ClientKind::Bot, cached});
    if (!c->connect()) {
      std::fprintf(stderr, "client %d: %s\n", i, c->error().c_str());
      std::printf("RESULT %s.not_measured client %d could not connect: %s\n", key.c_str(), i, c->error().c_str());
      return;
    }
    const auto joined = [&] {
      const auto& scene = c->scene();
      return scene.has_keyframe && scene.dataset &&
             (scene.dataset->thumbnails_hash == cached || scene.thumbnail_bytes_received == scene.dataset->thumbnails_bytes);
    };
    // Keep the clients already in the room served while this one joins. The first client
    // stands where a joining annotator does and says so, as lodestone-vr does: its first
    // frame can be drawn once the dataset and a keyframe are in; the thumbnails it then
    // needs are those of the items it draws as cubes (the nearest kMostCubes).
    const auto start = Clock::now();
    const Vec3 viewer{0, 1.6f, 0};
    std::optional<double> described_s, first_frame_s, visible_s;
    std::vector<std::uint32_t> visible;
    while (!joined() && seconds_since(start) < 120) {
      c->poll(5);
      for (auto& other : clients) other->poll(0);
      if (i != 0) continue;
      if (!described_s && c->scene().dataset) {
        // What comes before the keyframe (identity, dataset, label set, spheres, labels,
        // predictions): apart from the keyframe's own transfer, where a slow join waits.
        described_s = seconds_since(start);
        std::printf("RESULT %s.described_seconds %.2f\nRESULT %s.bytes_before_description_mb %.2f\n", key.c_str(),
                    *described_s, key.c_str(), static_cast<double>(c->bytes_received()) / 1e6);
      }
      if (!first_frame_s && c->scene().dataset && c->has_positions()) {
        first_frame_s = seconds_since(start);
        std::printf("RESULT %s.first_frame_seconds %.2f\nRESULT %s.bytes_before_first_frame_mb %.2f\n", key.c_str(),
                    *first_frame_s, key.c_str(), static_cast<double>(c->bytes_received()) / 1e6);
        visible = nearest_items(c->newest_positions(), viewer, client::kMostCubes);
      }
      if (first_frame_s) c->focus_thumbnails(viewer);
      if (first_frame_s && !visible_s &&
          std::all_of(visible.begin(), visible.end(), [&](std::uint32_t v) { return c->scene().thumbnails.has(v); })) {
        visible_s = seconds_since(start);
        std::printf("RESULT %s.visible_thumbnails_seconds %.2f\nRESULT %s.visible_thumbnails %zu\n", key.c_str(),
                    *visible_s, key.c_str(), visible.size());
      }
    }
    if (!joined()) {
      std::printf("RESULT %s.not_measured client %d did not join within 120 s\n", key.c_str(), i);
      return;
    }
    if (i == 0) std::printf("RESULT %s.first_join_seconds %.2f\n", key.c_str(), seconds_since(start));
    clients.push_back(std::move(c));
  }
  std::printf("RESULT %s.all_joined_seconds %.2f\n", key.c_str(), seconds_since(joining));
  if (clients.empty()) return;
  client::RoomClient& labeller = *clients.front();
  // Talkers: the first `talkers` clients each send a 20 ms Opus frame every 20 ms, as a
  // person speaking does; the labeller counts what reaches it of the others' voices.
  const int talking = std::min(talkers, bots);
  audio::VoiceEncoder encoder(16000);
  std::vector<float> tone(static_cast<std::size_t>(encoder.frame_samples()));
  for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = 0.3f * static_cast<float>(std::sin(0.2 * static_cast<double>(i)));
  const auto voice_packet = encoder.encode(tone).value();
  auto next_voice = Clock::now();
  std::uint32_t voice_sequence = 0;
  std::uint64_t voice_frames_heard = 0, voice_bytes_heard = 0;
  std::vector<double> voice_ms;
  bool measuring_voice = false;
  const auto talk = [&] {
    if (talking == 0) return;
    while (Clock::now() >= next_voice) {
      next_voice += std::chrono::milliseconds(20);
      const auto now_us = client::monotonic_us();
      for (int t = 0; t < talking; ++t) {
        clients[static_cast<std::size_t>(t)]->send_voice(VoiceFrame{0, voice_sequence, now_us, voice_packet});
      }
      ++voice_sequence;
    }
    for (auto& frame : labeller.take_voice()) {
      if (!measuring_voice) continue;
      ++voice_frames_heard;
      voice_bytes_heard += frame.opus.size();
      voice_ms.push_back(static_cast<double>(client::monotonic_us() - frame.captured_us) / 1000.0);
    }
  };
  const auto poll_all = [&] {
    for (auto& c : clients) c->poll(0);
    talk();
  };
  // Let training leave its first, violent reorganisation behind: the figures are for the
  // gradual motion of a room in use.
  const auto warm = Clock::now();
  while (seconds_since(warm) < warmup) {
    poll_all();
    usleep(1000);
  }
  std::vector<std::uint64_t> snapshots0, bytes0, predictions0;
  for (auto& c : clients) {
    snapshots0.push_back(c->snapshots_received());
    bytes0.push_back(c->snapshot_bytes_received());
    predictions0.push_back(c->scene().prediction_bytes_received);
  }
  const double cpu0 = cpu_seconds(server.pid());
  const auto start = Clock::now();
  measuring_voice = true;
  std::vector<double> ack_ms, snapshot_ms, motion_ms, label_items;
  std::vector<MotionWatch> watches;
  std::size_t labels_watched = 0;
  const auto check_motion = [&] {
    if (!labeller.has_positions()) return;
    std::erase_if(watches, [&](const MotionWatch& w) {
      if (!moved(w, labeller.newest_positions())) return false;
      motion_ms.push_back(seconds_since(w.sent) * 1000);
      return true;
    });
  };
  auto next_label = Clock::now();
  std::size_t round = 0;
  while (seconds_since(start) < seconds) {
    poll_all();
    check_motion();
    usleep(1000);
    if (Clock::now() < next_label || !labeller.has_positions()) continue;
    next_label = Clock::now() + std::chrono::milliseconds(500);
    const auto& positions = labeller.newest_positions();
    const auto center = positions[(round++ * 7919) % positions.size()];
    const auto created = labeller.send_intent({0, IntentKind::CreateSphere, 0, center, 0.15f, kNoClass});
    std::optional<IntentResult> r;
    while (!(r = labeller.result(created)) && seconds_since(start) < seconds + 5) poll_all();
    if (!r || !r->accepted()) continue;
    const auto sent = Clock::now();
    const auto id = labeller.send_intent({0, IntentKind::AssignClass, r->sphere_id, {}, 0,
                                          labeller.scene().label_set.classes[round % 2].id});
    // Only the labeller is served while it waits, as if each client had its own machine:
    // polling all 16 here would time this one process decoding 16 snapshot streams (all
    // arrive on the same tick), not the server. The others catch up right after.
    while (!(r = labeller.result(id)) && seconds_since(start) < seconds + 5) labeller.poll(1), talk();
    const double acked = seconds_since(sent) * 1000;
    ack_ms.push_back(acked);
    // The ack waits for every labelled item's row to be stored: its size explains the time.
    if (r) label_items.push_back(r->items_affected);
    if (r && r->accepted() && labeller.has_positions()) {
      auto w = watch_items_inside(sent, labeller.newest_positions(), center, 0.15f);
      if (!w.items.empty()) watches.push_back(std::move(w)), ++labels_watched;
    }
    const auto seq = labeller.newest_snapshot_seq();
    while (labeller.newest_snapshot_seq() == seq && seconds_since(sent) < 2) labeller.poll(1), talk();
    snapshot_ms.push_back(seconds_since(sent) * 1000);
  }
  const double elapsed = seconds_since(start);
  const double cpu = (cpu_seconds(server.pid()) - cpu0) / elapsed * 100;
  double snaps = 0, bytes = 0, prediction_bytes = 0;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    snaps += static_cast<double>(clients[i]->snapshots_received() - snapshots0[i]);
    prediction_bytes += static_cast<double>(clients[i]->scene().prediction_bytes_received - predictions0[i]);
    bytes += static_cast<double>(clients[i]->snapshot_bytes_received() - bytes0[i]);
  }
  snaps /= elapsed * bots;
  prediction_bytes /= elapsed * bots;
  bytes = bytes / (elapsed * bots) + prediction_bytes;
  const double raw = 6.0 * items * 10;
  // Labels near the end get a few more seconds to be seen moving.
  const auto grace = Clock::now();
  while (!watches.empty() && seconds_since(grace) < 5) {
    poll_all();
    check_motion();
    usleep(1000);
  }
  std::printf("%5d %7d %12.0f %7.1f%% %6s %10.2f %6s %8.0f%% %9.1f %9.1f %6s %12.0f %13.0f %12.0f\n", bots, items,
              bytes, 100 * bytes / raw, bytes < 0.4 * raw ? "met" : "NOT", snaps, snaps >= 9.5 ? "met" : "NOT", cpu,
              percentile(ack_ms, 0.5), percentile(ack_ms, 0.99),
              percentile(ack_ms, 0.5) <= 10 && percentile(ack_ms, 0.99) <= 50 ? "met" : "NOT",
              percentile(snapshot_ms, 0.5), percentile(motion_ms, 0.5), percentile(label_items, 0.5));
  std::printf("RESULT %s.label_to_motion_p50_ms %.0f\nRESULT %s.label_to_motion_p90_ms %.0f\n"
              "RESULT %s.labels_seen_moving %zu of %zu\n",
              key.c_str(), percentile(motion_ms, 0.5), key.c_str(), percentile(motion_ms, 0.9), key.c_str(),
              motion_ms.size(), labels_watched);
  std::printf("RESULT %s.prediction_bytes_per_s %.0f\n", key.c_str(), prediction_bytes);
  std::printf("RESULT %s.label_items_p50 %.0f\nRESULT %s.label_items_max %.0f\n", key.c_str(),
              percentile(label_items, 0.5), key.c_str(), percentile(label_items, 1.0));
  std::printf("RESULT %s.bytes_per_s %.0f\nRESULT %s.raw_bytes_per_s %.0f\nRESULT %s.snapshots_per_s %.3f\n"
              "RESULT %s.server_cpu_percent %.0f\nRESULT %s.ack_p50_ms %.2f\nRESULT %s.ack_p99_ms %.2f\n"
              "RESULT %s.label_to_snapshot_p50_ms %.1f\nRESULT %s.labels_measured %zu\nRESULT %s.seconds %.1f\n",
              key.c_str(), bytes, key.c_str(), raw, key.c_str(), snaps, key.c_str(), cpu, key.c_str(),
              percentile(ack_ms, 0.5), key.c_str(), percentile(ack_ms, 0.99), key.c_str(), percentile(snapshot_ms, 0.5),
              key.c_str(), ack_ms.size(), key.c_str(), elapsed);
  if (talking > 0) {
    // The labeller hears everyone talking but itself.
    const int heard_talkers = talking - 1;
    const double expected = heard_talkers * elapsed * 50;
    std::printf("RESULT %s.talkers %d\nRESULT %s.voice_frames_delivered_percent %.1f\n"
                "RESULT %s.voice_kbit_per_talker %.1f\nRESULT %s.voice_relay_p50_ms %.1f\n"
                "RESULT %s.voice_relay_p95_ms %.1f\n",
                key.c_str(), talking, key.c_str(), expected > 0 ? 100.0 * static_cast<double>(voice_frames_heard) / expected : 0.0,
                key.c_str(), heard_talkers > 0 ? static_cast<double>(voice_bytes_heard) * 8.0 / 1000 / elapsed / heard_talkers : 0.0,
                key.c_str(), percentile(voice_ms, 0.5), key.c_str(), percentile(voice_ms, 0.95));
  }
  std::printf("RESULT %s.server_peak_rss_mb %.0f\nRESULT %s.server_rss_mb %.0f\n", key.c_str(),
              status_mb(server.pid(), "VmHWM"), key.c_str(), status_mb(server.pid(), "VmRSS"));
  std::fflush(stdout);
  for (auto& c : clients) c->disconnect();
  server.terminate();
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Flags flags("room_bench", "a real server and simulated headsets: bandwidth, snapshot rate, acks",
                            {{"seconds", "10", "seconds measured per row", std::pair{1.0, 86400.0}},
                             {"warmup", "20", "seconds before measuring", std::pair{0.0, 86400.0}},
                             {"bots", "1,4,16", "clients per row, comma-separated"},
                             {"items", "10000,70000", "cloud sizes, comma-separated"},
                             {"talkers", "0", "clients that talk all the time (the row's figures go under voice.)",
                              std::pair{0.0, 64.0}},
                             {"encoder-channels", "0", "the server's --encoder-channels (0: its default)",
                              std::pair{0.0, 512.0}}},
                            argc, argv);
  const double seconds = flags.number("seconds");
  const double warmup = flags.number("warmup");
  const auto bots = list(flags.text("bots"));
  const auto items = list(flags.text("items"));
  std::printf("%5s %7s %12s %8s %6s %10s %6s %9s %9s %9s %6s %12s %13s %12s\n", "bots", "points", "B/s/client",
              "of raw", "<40%", "snaps/s", ">=9.5", "srv CPU", "ack p50", "ack p99", "10/50", "label->snap",
              "label->motion", "items/label");
  for (int n : items) {
    for (int b : bots) run(b, n, seconds, warmup, flags.integer("talkers"), flags.integer("encoder-channels"));
  }
  return 0;
}
