#include "app/headless_run.h"

#include "app/join.h"
#include "backends/offscreen.h"
#include "core/client_session.h"
#include "core/script.h"

#include "audio/clip_codec.h"

#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace lodestone::vr {
namespace {

using Clock = std::chrono::steady_clock;


std::optional<std::vector<client::ScriptCommand>> load_script(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    std::fprintf(stderr, "cannot read the script %s\n", path.c_str());
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = client::parse_script(text.str());
  if (auto* e = std::get_if<client::ScriptError>(&parsed)) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), e->message.c_str());
    return std::nullopt;
  }
  return std::get<std::vector<client::ScriptCommand>>(parsed);
}

class HeadlessClient {
 public:
  HeadlessClient(const Options& options, client::RoomClient& room, render::GpuContext& gpu)
      : options_(options), session_(room), offscreen_(gpu, options.width, options.height) {
    input_.head.position = {0, 1.6f, 2.5f};
    input_.head.orientation = client::look_rotation(input_.head.position, {0, 1.4f, 0});
    input_.right.position = {0.2f, 1.3f, 2.1f};
    input_.left.position = {-0.2f, 1.3f, 2.1f};
    use_caches(session_, options);
  }

  bool run(const std::vector<client::ScriptCommand>& commands) {
    for (const auto& command : commands) {
      const auto step = client::apply_command(command, input_);
      switch (step.kind) {
        case client::ScriptStep::Kind::Frame: frame(); break;
        case client::ScriptStep::Kind::Wait: run_for(step.seconds, [] { return false; }); break;
        case client::ScriptStep::Kind::Settle:
          if (!run_for(step.seconds, [&] { return session_.machine().pending_count() == 0; })) {
            std::fprintf(stderr, "line %d: the server did not answer within %.1f s\n", command.line, step.seconds);
          }
          break;
        case client::ScriptStep::Kind::Shot:
          if (!shot(step.file)) return false;
          break;
        case client::ScriptStep::Kind::Inspect: inspect(command.line, static_cast<std::uint32_t>(step.seconds)); break;
        case client::ScriptStep::Kind::Uncertain: face_uncertain(command.line); break;
        case client::ScriptStep::Kind::Listen:
          if (!listen(command.line, static_cast<std::uint32_t>(step.seconds), step.file)) return false;
          break;
        case client::ScriptStep::Kind::Say:
          if (!say(command.line, step.file)) return false;
          break;
        case client::ScriptStep::Kind::Record:
          if (!record(command.line, step.seconds, step.file)) return false;
          break;
        case client::ScriptStep::Kind::Mute:
        case client::ScriptStep::Kind::Unmute:
          mute(command.line, step.file, step.kind == client::ScriptStep::Kind::Mute);
          break;
      }
      // Say what the server answered (labelled, refused ...), once per new notice.
      if (session_.machine().message() != last_message_) {
        last_message_ = session_.machine().message();
        std::printf("line %d: %s\n", command.line, last_message_.c_str());
        std::fflush(stdout);
      }
      // And what the selected sphere holds, when that changed.
      if (auto preview = session_.sphere_preview_lines(); preview != last_preview_) {
        last_preview_ = std::move(preview);
        for (const auto& text : last_preview_) std::printf("line %d: %s\n", command.line, text.c_str());
        std::fflush(stdout);
      }
      if (session_.room().state() != client::ConnectionState::Joined) {
        std::fprintf(stderr, "the connection to the room ended: %s\n", session_.room().error().c_str());
        return false;
      }
    }
    return true;
  }

 private:
  void frame() {
    session_.step(input_);
    // One-shot actions last one frame.
    input_.class_position = -1;
    input_.toggle_menu = input_.delete_sphere = input_.erase_labels = input_.undo = input_.accept_predictions = false;
    input_.resize = 0;
  }

  // Opens the inspect panel on `item` and prints what it says once the server answered.
  void inspect(int line, std::uint32_t item) {
    session_.inspect(item);
    if (!run_for(5.0, [&] { return session_.inspected_details() != nullptr; })) {
      std::fprintf(stderr, "line %d: the server did not answer the inspection within 5 s\n", line);
    }
    for (const auto& text : session_.inspect_lines()) std::printf("line %d: inspect: %s\n", line, text.c_str());
    std::fflush(stdout);
  }

  // Touches `item` to hear it and writes the clip the client would play to `name` in the
  // output folder. No clip (an image dataset, a recording gone) is said and the script
  // goes on; only a file that cannot be written ends it.
  bool listen(int line, std::uint32_t item, const std::string& name) {
    session_.toggle_listening(item);
    const bool come = run_for(10.0, [&] { return session_.listened_clip() != nullptr; });
    const auto* outcome = session_.listened_clip();
    if (!come || !outcome) {
      std::printf("line %d: listen: no clip of item %u came within 10 s\n", line, item);
    } else if (!outcome->clip) {
      std::printf("line %d: listen: no sound for item %u: %s\n", line, item, outcome->error.c_str());
    } else {
      const auto path = std::filesystem::path(options_.out) / name;
      if (auto written = audio::write_wav(path, *outcome->clip); !written) {
        std::fprintf(stderr, "line %d: %s\n", line, written.error().c_str());
        return false;
      }
      std::printf("line %d: listen: item %u, %.2f s at %d Hz (%s) -> %s\n", line, item, outcome->clip->seconds(),
                  outcome->clip->sample_rate, outcome->from_cache ? "from the cache" : "from the server",
                  path.string().c_str());
    }
    std::fflush(stdout);
    session_.toggle_listening(std::nullopt);
    return true;
  }

  // Starts speaking `path` (a WAV or FLAC at a rate Opus takes) into the room.
  bool say(int line, const std::string& path) {
    auto clip = audio::read_sound_file(path, std::size_t{48000} * 600);
    std::string error;
    if (!clip) {
      error = clip.error();
    } else if (!session_.talk().say(*clip, error)) {
      error = path + ": " + error;
    }
    if (!error.empty()) {
      std::fprintf(stderr, "line %d: say: %s\n", line, error.c_str());
      return false;
    }
    std::printf("line %d: say: %.2f s of %s\n", line, clip->seconds(), path.c_str());
    std::fflush(stdout);
    return true;
  }

  // Records what is heard for `seconds` and says how it came, speaker by speaker.
  bool record(int line, double seconds, const std::string& name) {
    session_.start_recording();
    const auto start_us = client::monotonic_us();
    const auto stats_before = session_.hearing().stats();
    run_for(seconds, [] { return false; });
    const auto heard = session_.stop_recording();
    audio::MonoClip mix{audio::kVoiceOutputRate, std::vector<float>(static_cast<std::size_t>(seconds * audio::kVoiceOutputRate))};
    for (const auto& h : heard) {
      // Each voice at its due time since the recording began, mixed.
      const auto at = static_cast<std::int64_t>((h.due_us - start_us) * audio::kVoiceOutputRate / 1'000'000);
      for (std::size_t i = 0; i < h.samples.size(); ++i) {
        const auto k = at + static_cast<std::int64_t>(i);
        if (k >= 0 && k < static_cast<std::int64_t>(mix.samples.size())) mix.samples[static_cast<std::size_t>(k)] += h.samples[i];
      }
    }
    const auto path = std::filesystem::path(options_.out) / name;
    if (auto written = audio::write_wav(path, mix); !written) {
      std::fprintf(stderr, "line %d: %s\n", line, written.error().c_str());
      return false;
    }
    std::printf("line %d: record: %.1f s -> %s\n", line, seconds, path.string().c_str());
    const auto& others = session_.room().scene().others;
    for (const auto& [speaker, st] : session_.hearing().stats()) {
      const auto before = stats_before.find(speaker);
      // The frames played while recording are the newest ones (as many as the window holds).
      const std::uint64_t played = st.frames - (before == stats_before.end() ? 0 : before->second.frames);
      const auto kept = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(played, st.mouth_to_ear_ms.size()));
      std::vector<double> latency(st.mouth_to_ear_ms.end() - kept, st.mouth_to_ear_ms.end());
      if (latency.empty()) continue;
      std::sort(latency.begin(), latency.end());
      const auto who = others.find(speaker);
      const double span_s = std::max(1e-3, static_cast<double>(st.last_us - st.first_us) / 1e6 + 0.02);
      std::printf("line %d: record: voice of %s: %llu frames, %llu concealed, %llu late; mouth-to-ear p50 %.0f ms, "
                  "p95 %.0f ms; %.1f kbit/s\n",
                  line, who != others.end() ? who->second.name.c_str() : ("user " + std::to_string(speaker)).c_str(),
                  static_cast<unsigned long long>(st.frames), static_cast<unsigned long long>(st.concealed),
                  static_cast<unsigned long long>(st.late), latency[latency.size() / 2],
                  latency[std::min(latency.size() - 1, latency.size() * 95 / 100)],
                  static_cast<double>(st.bytes) * 8 / 1000 / span_s);
    }
    std::fflush(stdout);
    return true;
  }

  void mute(int line, const std::string& name, bool muted) {
    for (const auto& [id, presence] : session_.room().scene().others) {
      if (presence.name != name) continue;
      session_.hearing().mute(id, muted);
      std::printf("line %d: %s %s\n", line, muted ? "muted" : "unmuted", name.c_str());
      std::fflush(stdout);
      return;
    }
    std::printf("line %d: nobody called %s is in the room\n", line, name.c_str());
    std::fflush(stdout);
  }

  // Turns the head toward where the model is least certain, and says where that is.
  void face_uncertain(int line) {
    const auto& room = session_.room();
    const auto target = client::densest_uncertain_region(room.scene(), room.newest_positions());
    if (!target) {
      std::printf("line %d: uncertain: the model has no predictions yet\n", line);
    } else {
      const Vec3 head = session_.head_in_room(input_).position;
      input_.head.orientation = client::look_rotation(head, *target);
      std::printf("line %d: uncertain: the least certain items gather around (%.2f, %.2f, %.2f)\n", line, target->x,
                  target->y, target->z);
    }
    std::fflush(stdout);
    frame();
  }

  template <class Done>
  bool run_for(double seconds, Done done) {
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
      frame();
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  bool shot(const std::string& name) {
    if (!thumbnails_uploaded_ && session_.thumbnails_complete()) {
      offscreen_.renderer().set_thumbnails(session_.thumbnails());
      thumbnails_uploaded_ = true;
    }
    if (session_.refresh_cubes(session_.head_in_room(input_).position)) {
      offscreen_.renderer().set_cubes(session_.cubes(), session_.near_cubes());
    }
    client::Overlay overlay;
    if (options_.text) overlay = {static_cast<int>(options_.width), static_cast<int>(options_.height), session_.status_lines()};
    const auto frame = session_.frame(overlay, input_, true);
    const auto eye = client::mono_eye(session_.head_in_room(input_),
                                      static_cast<float>(options_.width) / static_cast<float>(options_.height));
    const auto image = offscreen_.render(frame, eye);
    const auto path = (std::filesystem::path(options_.out) / name).string();
    std::string error;
    if (!render::write_png(path, image, error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return false;
    }
    std::printf("wrote %s (%zu cubes)\n", path.c_str(), offscreen_.renderer().cube_count());
    std::fflush(stdout);
    return true;
  }

  const Options& options_;
  client::ClientSession session_;
  render::OffscreenRenderer offscreen_;
  client::FrameInput input_;
  bool thumbnails_uploaded_ = false;
  std::string last_message_;
  std::vector<std::string> last_preview_;
};

}  // namespace

int run_headless(const Options& options) {
  const auto commands = load_script(options.script);
  if (!commands) return 2;
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec) {
    std::fprintf(stderr, "cannot create %s: %s\n", options.out.c_str(), ec.message().c_str());
    return 2;
  }
  std::string error;
  auto room = join_room(options, ClientKind::Desktop, error);
  if (!room) {
    std::fprintf(stderr, "cannot join the room at %s:%u: %s\n", options.host.c_str(), options.port, error.c_str());
    return 1;
  }
  // The thumbnails follow the join state; give them a moment so the first picture has them.
  room->poll_until([&] {
    const auto& s = room->scene();
    return s.dataset && s.thumbnail_bytes_received >= s.dataset->thumbnails_bytes;
  }, 10000);
  render::GpuContext gpu(render::GpuOptions{options.validation, {}, {}});
  const auto& scene = room->scene();
  std::printf("joined as %s; rendering on %s; thumbnails: %zu bytes %s\n", scene.me->user_name.c_str(),
              gpu.device_name().c_str(), scene.thumbnail_bytes_received,
              scene.thumbnails_from_cache ? "from the cache" : "from the server");
  HeadlessClient client(options, *room, gpu);
  const bool ok = client.run(*commands);
  room->disconnect();
  if (gpu.validation_enabled() && !gpu.validation_messages().empty()) {
    std::fprintf(stderr, "%zu Vulkan validation messages\n", gpu.validation_messages().size());
    return 3;
  }
  return ok ? 0 : 1;
}

}  // namespace lodestone::vr
