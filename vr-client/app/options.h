#pragma once
// lodestone-vr's command line (CLI11: bounds checked, --help generated).
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
  std::string cache_dir;  // where heard clips are kept between sessions; empty: not kept
};

// The options, or nothing with `error` set (empty error: --help was asked for). `help`:
// the generated help text (CLI11), every option with its default and bounds.
std::optional<Options> parse_options(int argc, char** argv, std::string& error, std::string& help);

// Desktop when a display is there, else headless; --headless / --desktop decide.
Backend choose_backend(Backend asked);

}  // namespace lodestone::vr
