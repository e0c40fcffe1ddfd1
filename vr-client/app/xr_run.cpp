// The headset's frame loop, as the OpenXR lifecycle has it: poll events (READY → begin,
// STOPPING → end, LOSS_PENDING → rebuild the session, EXITING → quit); while the session
// runs, wait for the frame, read the controllers, step the client core (which services the
// network without blocking), render both eyes and submit them.
#include "app/xr_run.h"

#include "app/join.h"
#include "backends/xr_hands.h"
#include "backends/xr_input.h"
#include "backends/xr_session.h"
#include "core/client_session.h"
#include "core/hand_gestures.h"
#include "core/snap_turn.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

namespace lodestone::vr {
namespace {

std::atomic<bool> stop_requested{false};
extern "C" void request_headset_stop(int) { stop_requested = true; }

const char* state_name(XrSessionState s) {
  switch (s) {
    case XR_SESSION_STATE_IDLE: return "IDLE";
    case XR_SESSION_STATE_READY: return "READY";
    case XR_SESSION_STATE_SYNCHRONIZED: return "SYNCHRONIZED";
    case XR_SESSION_STATE_VISIBLE: return "VISIBLE";
    case XR_SESSION_STATE_FOCUSED: return "FOCUSED";
    case XR_SESSION_STATE_STOPPING: return "STOPPING";
    case XR_SESSION_STATE_LOSS_PENDING: return "LOSS_PENDING";
    case XR_SESSION_STATE_EXITING: return "EXITING";
    default: return "UNKNOWN";
  }
}

Pose to_pose(const XrPosef& p) {
  return {{p.position.x, p.position.y, p.position.z},
          {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w}};
}

enum class SessionEnd { Exit, Rebuild, InstanceLost, Disconnected };

class HeadsetClient {
 public:
  HeadsetClient(const Options& options, xr::HeadsetSystem& system, render::GpuContext& gpu, client::RoomClient& room)
      : options_(options), system_(system), gpu_(gpu), client_(room), input_(system, options.smooth_locomotion),
        speakers_(open_sound_output()) {
    raw_.head.position = {0, 1.6f, 0};
    use_caches(client_, options);
    client_.set_clip_output(speakers_.get());
  }

  int run() {
    while (true) {
      SessionEnd end = SessionEnd::Exit;
      try {
        end = run_session();
      } catch (const xr::XrCallError& e) {
        if (e.result() == XR_ERROR_SESSION_LOST) {
          end = SessionEnd::Rebuild;
        } else if (e.result() == XR_ERROR_INSTANCE_LOST) {
          end = SessionEnd::InstanceLost;
        } else {
          throw;
        }
      }
      switch (end) {
        case SessionEnd::Exit: return 0;
        case SessionEnd::Disconnected:
          std::fprintf(stderr, "lodestone-vr: the connection to the room ended: %s\n", client_.room().error().c_str());
          return 1;
        case SessionEnd::InstanceLost:
          std::fprintf(stderr, "lodestone-vr: the OpenXR runtime went away (instance lost); start it again, then "
                               "lodestone-vr --xr.\n");
          return 5;
        case SessionEnd::Rebuild:
          std::printf("xr: the runtime lost the session; making a new one\n");
          std::fflush(stdout);
          if (stop_requested) return 0;
          break;
      }
    }
  }

 private:
  SessionEnd run_session() {
    xr::HeadsetSession session(system_, gpu_);
    input_.attach(session.handle());
    struct Detach {
      xr::HeadsetInput& input;
      ~Detach() { input.detach(); }
    } detach{input_};
    // Hands without controllers, when the runtime tracks them; gone before the session.
    if (system_.hand_tracking()) {
      hands_ = std::make_unique<xr::HeadsetHands>(system_, session.handle());
      std::printf("xr: hand tracking: a hand without a controller pinches to draw and pick (right) and for the menu "
                  "(left)\n");
    }
    struct DropHands {
      std::unique_ptr<xr::HeadsetHands>& hands;
      ~DropHands() { hands.reset(); }
    } drop_hands{hands_};
    std::printf("xr: session on %s: %s space, %ux%u per eye, format %d%s\n", system_.description().c_str(),
                session.stage() ? "stage" : "local (the headset has no stage)", session.eye_extent().width,
                session.eye_extent().height, static_cast<int>(session.swapchain_format()),
                system_.depth_layers() ? ", depth layers" : "");
    std::fflush(stdout);
    render::Renderer renderer(gpu_, session.render_format());
    bool thumbnails = false, cubes = false, exit_asked = false;
    XrSessionState state = XR_SESSION_STATE_UNKNOWN;
    while (true) {
      auto event = xr::xr_struct<XrEventDataBuffer>(XR_TYPE_EVENT_DATA_BUFFER);
      while (xrPollEvent(system_.instance(), &event) == XR_SUCCESS) {
        if (event.type == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING) return SessionEnd::InstanceLost;
        if (event.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED) {
          // Other controllers picked up: the suggested bindings for them apply.
          std::printf("xr: controllers: %s\n", input_.profile(session.handle()).c_str());
          std::fflush(stdout);
        }
        if (event.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
          const auto& changed = reinterpret_cast<const XrEventDataSessionStateChanged&>(event);
          if (changed.session == session.handle()) {
            state = changed.state;
            std::printf("xr: session %s\n", state_name(state));
            std::fflush(stdout);
            if (state == XR_SESSION_STATE_READY) session.begin();
            if (state == XR_SESSION_STATE_STOPPING) session.end();
            if (state == XR_SESSION_STATE_EXITING) {
              std::printf("xr: %llu frames\n", static_cast<unsigned long long>(frames_));
              return SessionEnd::Exit;
            }
            if (state == XR_SESSION_STATE_LOSS_PENDING) return SessionEnd::Rebuild;
          }
        }
        event = xr::xr_struct<XrEventDataBuffer>(XR_TYPE_EVENT_DATA_BUFFER);
      }
      const bool frames_done = options_.frames > 0 && frames_ >= options_.frames;
      if ((stop_requested || frames_done) && session.running() && !exit_asked) {
        session.request_exit();
        exit_asked = true;
      }
      if (stop_requested && !session.running()) return SessionEnd::Exit;
      if (client_.room().state() != client::ConnectionState::Joined) return SessionEnd::Disconnected;
      if (!session.running()) {
        // Not drawing: keep the room connection serviced, with every button released.
        client::FrameInput idle = turned(raw_);
        idle.left.grip = idle.right.grip = idle.left.trigger = idle.right.trigger = false;
        client_.step(idle);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      frame(session, renderer, thumbnails, cubes);
    }
  }

  client::FrameInput turned(const client::FrameInput& raw) const {
    client::FrameInput in = raw;
    in.head = turn_.apply(raw.head);
    for (auto [out, from] : {std::pair{&in.left, &raw.left}, std::pair{&in.right, &raw.right}}) {
      out->position = turn_.apply(from->position);
      out->pointing = turn_.apply_direction(from->pointing);
    }
    return in;
  }

  void frame(xr::HeadsetSession& session, render::Renderer& renderer, bool& thumbnails, bool& cubes) {
    const XrFrameState timing = session.begin_frame();
    const XrTime time = timing.predictedDisplayTime;
    // One-shot flags last one frame; poses stay until the runtime gives new ones.
    raw_.toggle_menu = raw_.undo = raw_.erase_labels = raw_.delete_sphere = raw_.accept_predictions = false;
    raw_.resize = 0;
    raw_.class_position = -1;
    raw_.head = session.head(time);
    // The time since the last frame, for smooth locomotion (display times, nanoseconds).
    raw_.seconds = last_time_ > 0 ? static_cast<float>(static_cast<double>(time - last_time_) * 1e-9) : 0.0f;
    last_time_ = time;
    const auto comfort = input_.read(session.handle(), session.space(), time, raw_);
    if (hands_) {
      // A hand holding no controller is read from hand tracking instead.
      std::array<std::optional<client::TrackedHand>, 2> tracked;
      for (int h = 0; h < 2; ++h) {
        if (!input_.controller_active(session.handle(), h)) {
          tracked[static_cast<std::size_t>(h)] = hands_->locate(h, session.space(), time);
        }
      }
      gestures_.apply(tracked[0], tracked[1], raw_);
    }
    if (comfort.snap_turn != 0) turn_.turn(comfort.snap_turn, raw_.head.position);
    const client::FrameInput in = turned(raw_);

    const auto& machine = client_.machine();
    const auto gesture_before = machine.gesture();
    const std::uint64_t teleports_before = machine.teleport_count();
    const bool menu_before = machine.menu().open;
    const std::size_t pending_before = machine.pending_count();
    client_.step(in);
    // The right controller's ray inspects the cube it rests on; its trigger, with no menu
    // open, plays (or stops) that cube's clip.
    client_.hover_along(in.right.position + machine.rig_offset(), in.right.pointing);
    if (in.right.trigger && !trigger_was_ && !menu_before && !machine.menu().open) {
      client_.toggle_listening(client_.item_on_ray(in.right.position + machine.rig_offset(), in.right.pointing));
    }
    trigger_was_ = in.right.trigger;
    push_to_talk_.update(in.left.trigger, client_);  // hold the left trigger to talk
    confirm(session, gesture_before, teleports_before, menu_before, pending_before);

    const auto views = session.locate_views(time);
    session.end_frame(timing, views, [&](VkCommandBuffer cmd, const render::ColorTarget& target, std::uint32_t eye) {
      if (eye == 0) {
        // The GPU has finished the previous frame: uploads are safe now.
        // The atlas once the dataset is known, then the tiles as they come (nearest first).
        if (!thumbnails && client_.thumbnails().pixels != nullptr) {
          renderer.set_thumbnails(client_.thumbnails());
          thumbnails = true;
        } else if (thumbnails) {
          if (const auto fresh = client_.thumbnails_to_upload(); !fresh.empty()) {
            renderer.update_thumbnails(client_.thumbnails(), fresh);
          }
        }
        if (client_.refresh_cubes(machine.to_room(in.head).position) || !cubes) {
          renderer.set_cubes(client_.cubes(), client_.near_cubes());
          cubes = true;
        }
        std::array<client::EyeView, 2> eyes;
        for (std::size_t e = 0; e < 2; ++e) {
          const XrView& v = (*views)[e];
          const Pose room = machine.to_room(turn_.apply(to_pose(v.pose)));
          eyes[e] = {view_from_pose(room),
                     perspective_from_tangents(std::tan(v.fov.angleLeft), std::tan(v.fov.angleRight),
                                               std::tan(v.fov.angleUp), std::tan(v.fov.angleDown),
                                               xr::HeadsetSession::kNear, xr::HeadsetSession::kFar),
                     room.position};
        }
        renderer.prepare_frame(client_.frame(client::Overlay{}, in, true), eyes);
      }
      renderer.record(cmd, target, eye);
    });
    ++frames_;
    if (frames_ % 100 == 0) {
      std::printf("xr: %llu frames, %zu cubes\n", static_cast<unsigned long long>(frames_), renderer.cube_count());
      std::fflush(stdout);
    }
  }

  // A short pulse in the hand when a sphere is drawn, a class given, or the user teleports.
  void confirm(xr::HeadsetSession& session, client::Gesture gesture_before, std::uint64_t teleports_before,
               bool menu_before, std::size_t pending_before) {
    const auto& machine = client_.machine();
    const char* what = nullptr;
    if (gesture_before == client::Gesture::Creating && machine.gesture() == client::Gesture::Idle) what = "sphere drawn";
    if (menu_before && !machine.menu().open && machine.pending_count() > pending_before) what = "class given";
    if (machine.teleport_count() != teleports_before) what = "teleported";
    if (what == nullptr) return;
    input_.pulse(session.handle(), true, 0.5f);
    std::printf("xr: %s\n", what);
    std::fflush(stdout);
  }

  const Options& options_;
  xr::HeadsetSystem& system_;
  render::GpuContext& gpu_;
  client::ClientSession client_;
  xr::HeadsetInput input_;
  std::unique_ptr<xr::HeadsetHands> hands_;  // this session's hand trackers, when offered
  client::HandGestures gestures_;
  client::FrameInput raw_;  // tracking space, as the runtime reports it
  client::SnapTurn turn_;
  std::unique_ptr<client::ClipOutput> speakers_;
  bool trigger_was_ = false;
  PushToTalk push_to_talk_;
  std::uint64_t frames_ = 0;
  XrTime last_time_ = 0;
};

}  // namespace

int run_xr(const Options& options) {
  std::unique_ptr<xr::HeadsetSystem> system;
  try {
    system = std::make_unique<xr::HeadsetSystem>();
  } catch (const xr::HeadsetUnavailable& e) {
    std::fprintf(stderr,
                 "lodestone-vr: cannot use a headset: %s\n"
                 "Without a headset, use the desktop backend: run lodestone-vr without --xr (mouse and keyboard).\n",
                 e.what());
    return 4;
  }
  std::printf("xr: %s\n", system->description().c_str());
  render::GpuOptions gpu_options;
  gpu_options.validation = options.validation;
  gpu_options.external = system->vulkan_creation();
  render::GpuContext gpu(gpu_options);
  std::string error;
  auto room = join_room(options, ClientKind::Headset, error);
  if (!room) {
    std::fprintf(stderr, "cannot join the room at %s:%u: %s\n", options.host.c_str(), options.port, error.c_str());
    return 1;
  }
  std::printf("joined as %s; rendering on %s\n", room->scene().me->user_name.c_str(), gpu.device_name().c_str());
  std::fflush(stdout);
  std::signal(SIGINT, request_headset_stop);
  std::signal(SIGTERM, request_headset_stop);
  int code = 0;
  {
    HeadsetClient client(options, *system, gpu, *room);
    code = client.run();
  }
  room->disconnect();
  if (gpu.validation_enabled() && !gpu.validation_messages().empty()) {
    std::fprintf(stderr, "%zu Vulkan validation messages\n", gpu.validation_messages().size());
    return 3;
  }
  return code;
}

}  // namespace lodestone::vr
