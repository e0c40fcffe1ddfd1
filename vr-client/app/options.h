#pragma once
// lodestone-vr's command line.
#include <cstdint>
#include <optional>
#include <string>

namespace lodestone::vr {

enum class Backend { Auto, Desktop, Headless, Xr };

struct Options {
  Backend backend = Backend::Auto;
  std::string host = "127.0.0.1";
  std::uint16_t port = 7777;
  std::string token;
  std::string name = "lodestone-vr";
  std::string script;  // headless: the camera and gesture script
  std::string out = ".";  // headless: where the PNGs go
  std::uint32_t width = 1280, height = 720;
  bool validation = false;
  bool text = true;  // headless: status text on the pictures
  std::uint64_t frames = 0;  // desktop: quit after this many frames (0: when the window closes); xr: ask to exit
  bool smooth_locomotion = false;  // xr: the left stick walks (instead of resizing)
};

inline constexpr const char* kUsage =
    "lodestone-vr --token TOKEN [--host 127.0.0.1] [--port 7777] [--name N]\n"
    "             [--xr | --desktop | --headless --script FILE --out DIR] [--width 1280] [--height 720]\n"
    "             [--no-text] [--validation] [--frames N] [--smooth-locomotion]\n"
    "  Desktop (a window; the default when DISPLAY or WAYLAND_DISPLAY is set): mouse and keyboard\n"
    "  stand in for head and hands. Headless: runs a script of camera moves and gestures against\n"
    "  the room and writes PNGs. --xr: in a headset through the active OpenXR runtime (Vulkan);\n"
    "  without a runtime or headset it says so and suggests the desktop backend. --validation enables the Vulkan validation layer; --frames N\n"
    "  closes the window after N frames (smoke tests). --smooth-locomotion: in the headset the left\n"
    "  stick walks where the head faces (off by default: teleport and snap turns are kinder to most).\n";

// The options, or nothing with `error` set (empty error: --help was asked for).
std::optional<Options> parse_options(int argc, char** argv, std::string& error);

// Desktop when a display is there, else headless; --headless / --desktop decide.
Backend choose_backend(Backend asked);

}  // namespace lodestone::vr
