#include "app/desktop_run.h"

#include "app/join.h"
#include "backends/window_swapchain.h"
#include "core/client_session.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>

namespace lodestone::vr {
namespace {


// Ctrl-C or SIGTERM close the window as Esc does, so the session ends cleanly.
std::atomic<bool> stop_requested{false};
extern "C" void request_stop(int) { stop_requested = true; }

const std::vector<std::string> kHelp = {
    "WASD move, Space/C up/down, right-drag look",
    "left-drag: draw a sphere, or grab yours to move it",
    "wheel: resize (Shift+wheel: hand reach)",
    "0-9: class for the touched sphere (the key the menu shows); M: class menu",
    "X: delete sphere  R: erase its labels  Z: undo",
    "Enter: accept the touched sphere's confident predictions",
    "P: show/hide predictions  U: turn to where the model is least certain",
    "hover a cube: inspect it (I: close the panel)",
    "L or middle click: hear the cube under the cursor (sound datasets; again: stop)",
    "V (hold): talk to the room  K: mute / unmute the person under the cursor",
    "T (hold, release): teleport along the arc",
    "H: hide this help  Esc: quit",
};

// What the mouse and keyboard did since the last frame.
struct DesktopControls {
  Vec3 position{0, 1.6f, 2.5f};
  float yaw = 0, pitch = -0.15f;
  float reach = 1.0f;
  bool looking = false;
  double last_x = 0, last_y = 0;
  bool grip = false;
  client::FrameInput events;  // one-shot flags gathered by the callbacks
  bool help = true;
  bool show_predictions = true;
  bool face_uncertain = false;
  bool close_panel = false;
  bool listen = false;
  bool mute_person = false;
};

DesktopControls& controls_of(GLFWwindow* w) { return *static_cast<DesktopControls*>(glfwGetWindowUserPointer(w)); }

void on_key(GLFWwindow* w, int key, int, int action, int) {
  if (action != GLFW_PRESS) return;
  auto& c = controls_of(w);
  if (key >= GLFW_KEY_0 && key <= GLFW_KEY_9) c.events.class_key = static_cast<char>('0' + (key - GLFW_KEY_0));
  if (key == GLFW_KEY_M) c.events.toggle_menu = true;
  if (key == GLFW_KEY_X || key == GLFW_KEY_DELETE) c.events.delete_sphere = true;
  if (key == GLFW_KEY_R) c.events.erase_labels = true;
  if (key == GLFW_KEY_Z) c.events.undo = true;
  if (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) c.events.accept_predictions = true;
  if (key == GLFW_KEY_P) c.show_predictions = !c.show_predictions;
  if (key == GLFW_KEY_U) c.face_uncertain = true;
  if (key == GLFW_KEY_I) c.close_panel = true;
  if (key == GLFW_KEY_L) c.listen = true;
  if (key == GLFW_KEY_K) c.mute_person = true;
  if (key == GLFW_KEY_H) c.help = !c.help;
  if (key == GLFW_KEY_ESCAPE) glfwSetWindowShouldClose(w, GLFW_TRUE);
}

void on_button(GLFWwindow* w, int button, int action, int) {
  auto& c = controls_of(w);
  if (button == GLFW_MOUSE_BUTTON_LEFT) c.grip = action == GLFW_PRESS;
  if (button == GLFW_MOUSE_BUTTON_MIDDLE && action == GLFW_PRESS) c.listen = true;
  if (button == GLFW_MOUSE_BUTTON_RIGHT) {
    c.looking = action == GLFW_PRESS;
    glfwGetCursorPos(w, &c.last_x, &c.last_y);
  }
}

void on_scroll(GLFWwindow* w, double, double y) {
  auto& c = controls_of(w);
  if (glfwGetKey(w, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS) {
    c.reach = std::clamp(c.reach + static_cast<float>(y) * 0.1f, 0.3f, 5.0f);
  } else {
    c.events.resize += static_cast<float>(y);
  }
}

// The frame's input: the fly camera is the head, the mouse ray at arm's reach the hand.
client::FrameInput read_input(GLFWwindow* w, DesktopControls& c, float dt, VkExtent2D extent) {
  double x = 0, y = 0;
  glfwGetCursorPos(w, &x, &y);
  if (c.looking) {
    c.yaw -= static_cast<float>(x - c.last_x) * 0.005f;
    c.pitch = std::clamp(c.pitch - static_cast<float>(y - c.last_y) * 0.005f, -1.5f, 1.5f);
    c.last_x = x, c.last_y = y;
  }
  const Quat orientation = yaw_pitch(c.yaw, c.pitch);
  const Vec3 ahead{-std::sin(c.yaw), 0, -std::cos(c.yaw)}, side{std::cos(c.yaw), 0, -std::sin(c.yaw)};
  const float speed = 1.5f * dt;
  auto held = [&](int key) { return glfwGetKey(w, key) == GLFW_PRESS ? 1.0f : 0.0f; };
  c.position = c.position + ahead * (speed * (held(GLFW_KEY_W) - held(GLFW_KEY_S))) +
               side * (speed * (held(GLFW_KEY_D) - held(GLFW_KEY_A))) +
               Vec3{0, speed * (held(GLFW_KEY_SPACE) - held(GLFW_KEY_C)), 0};

  client::FrameInput in = c.events;
  c.events = {};
  in.show_predictions = c.show_predictions;
  in.head = {c.position, orientation};
  // The ray through the cursor, from the same projection the renderer uses.
  const float aspect = static_cast<float>(extent.width) / static_cast<float>(std::max(extent.height, 1u));
  const float t = std::tan(client::kMonoFieldOfView / 2);
  const float nx = static_cast<float>(2 * x / extent.width - 1), ny = static_cast<float>(2 * y / extent.height - 1);
  const Vec3 ray = normalize(rotate(orientation, {nx * aspect * t, -ny * t, -1}));
  in.right.position = c.position + ray * c.reach;
  in.right.pointing = ray;
  in.right.grip = c.grip;
  in.right.trigger = c.grip;
  in.left.position = c.position + rotate(orientation, {-0.25f, -0.3f, -0.4f});
  in.teleport_aim = glfwGetKey(w, GLFW_KEY_T) == GLFW_PRESS;
  return in;
}

}  // namespace

int run_desktop(const Options& options) {
  if (glfwInit() != GLFW_TRUE) {
    std::fprintf(stderr, "cannot open a window (no display?); use --headless --script FILE --out DIR\n");
    return 1;
  }
  std::string error;
  auto room = join_room(options, ClientKind::Desktop, error);
  if (!room) {
    std::fprintf(stderr, "cannot join the room at %s:%u: %s\n", options.host.c_str(), options.port, error.c_str());
    glfwTerminate();
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  GLFWwindow* window = glfwCreateWindow(static_cast<int>(options.width), static_cast<int>(options.height),
                                        ("Lodestone - " + room->scene().dataset->name).c_str(), nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "cannot create a window\n");
    glfwTerminate();
    return 1;
  }
  DesktopControls controls;
  glfwSetWindowUserPointer(window, &controls);
  glfwSetKeyCallback(window, on_key);
  glfwSetMouseButtonCallback(window, on_button);
  glfwSetScrollCallback(window, on_scroll);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  int code = 0;
  {
    render::GpuContext gpu(render::window_gpu_options(window, options.validation));
    render::WindowSwapchain swapchain(gpu, window);
    render::Renderer renderer(gpu, swapchain.format());
    client::ClientSession session(*room);
    use_caches(session, options);
    const auto speakers = open_sound_output();
    PushToTalk push_to_talk;
    session.set_clip_output(speakers.get());
    std::printf("joined as %s; rendering on %s\n", room->scene().me->user_name.c_str(), gpu.device_name().c_str());
    std::fflush(stdout);
    bool thumbnails_uploaded = false;
    std::uint64_t frames = 0;
    auto last = std::chrono::steady_clock::now();
    while (glfwWindowShouldClose(window) == GLFW_FALSE && !stop_requested &&
           (options.frames == 0 || frames < options.frames)) {
      glfwPollEvents();
      const auto now = std::chrono::steady_clock::now();
      const float dt = std::min(std::chrono::duration<float>(now - last).count(), 0.1f);
      last = now;
      if (controls.face_uncertain) {
        // Turn the camera toward the densest cluster of the model's least certain items.
        controls.face_uncertain = false;
        if (const auto target = client::densest_uncertain_region(room->scene(), room->newest_positions())) {
          client::FrameInput where;
          where.head.position = controls.position;
          const Vec3 d = normalize(*target - session.head_in_room(where).position);
          controls.yaw = std::atan2(-d.x, -d.z);
          controls.pitch = std::asin(std::clamp(d.y, -1.0f, 1.0f));
        }
      }
      const auto input = read_input(window, controls, dt, swapchain.extent());
      session.step(input);
      // Hovering: the cube under the cursor, once it rests there a moment, is inspected.
      if (controls.close_panel) {
        controls.close_panel = false;
        session.inspect(std::nullopt);
      } else if (!controls.looking) {
        session.hover_along(session.head_in_room(input).position, input.right.pointing);
      }
      push_to_talk.update(glfwGetKey(window, GLFW_KEY_V) == GLFW_PRESS, session);
      if (controls.mute_person) {
        controls.mute_person = false;
        if (const auto who = session.person_on_ray(session.head_in_room(input).position, input.right.pointing)) {
          session.hearing().mute(*who, !session.hearing().muted(*who));
        }
      }
      if (controls.listen) {
        controls.listen = false;
        const auto item = session.item_on_ray(session.head_in_room(input).position, input.right.pointing);
        session.toggle_listening(item ? item : session.inspected());
      }
      if (room->state() != client::ConnectionState::Joined) {
        std::fprintf(stderr, "the connection to the room ended: %s\n", room->error().c_str());
        code = 1;
        break;
      }
      swapchain.wait_previous_frame();
      // The atlas once the dataset is known, then the tiles as they come (nearest first).
      if (!thumbnails_uploaded && session.thumbnails().pixels != nullptr) {
        renderer.set_thumbnails(session.thumbnails());
        thumbnails_uploaded = true;
      } else if (thumbnails_uploaded) {
        if (const auto fresh = session.thumbnails_to_upload(); !fresh.empty()) {
          renderer.update_thumbnails(session.thumbnails(), fresh);
        }
      }
      if (session.refresh_cubes(session.head_in_room(input).position)) {
        renderer.set_cubes(session.cubes(), session.near_cubes());
      }
      const VkExtent2D extent = swapchain.extent();
      client::Overlay overlay{static_cast<int>(extent.width), static_cast<int>(extent.height), session.status_lines()};
      if (controls.help) overlay.lines.insert(overlay.lines.end(), kHelp.begin(), kHelp.end());
      const auto frame = session.frame(overlay, input, true);
      const auto eye = client::mono_eye(session.head_in_room(input),
                                        static_cast<float>(extent.width) / static_cast<float>(extent.height));
      renderer.prepare_frame(frame, std::span(&eye, 1));
      if (swapchain.draw([&](VkCommandBuffer cmd, const render::ColorTarget& target) { renderer.record(cmd, target, 0); }) &&
          ++frames == 1) {
        std::printf("first frame shown (%ux%u)\n", extent.width, extent.height);
        std::fflush(stdout);
      }
    }
    swapchain.wait_previous_frame();
    if (gpu.validation_enabled() && !gpu.validation_messages().empty()) code = 3;
  }
  room->disconnect();
  glfwDestroyWindow(window);
  glfwTerminate();
  return code;
}

}  // namespace lodestone::vr
