#include "app/options.h"

// GCC 12 at -O2 reports a null dereference inside std::string as CLI11's templates inline
// it (a false positive in library code, not ours); this file holds only the parsing.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include "core/clip_cache.h"

#include <cstdlib>

namespace lodestone::vr {
namespace {

constexpr const char* kDescription =
    "lodestone-vr: the annotator's client.\n"
    "  Desktop (a window; the default when DISPLAY or WAYLAND_DISPLAY is set): mouse and keyboard stand in\n"
    "  for head and hands. Headless: runs a script of camera moves and gestures against the room and writes\n"
    "  PNGs. --xr: in a headset through the active OpenXR runtime (Vulkan); without a runtime or headset it\n"
    "  says so and suggests the desktop backend.";

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, std::string& error, std::string& help) {
  Options o;
  CLI::App app{kDescription, "lodestone-vr"};
  app.add_option("--token", o.token, "access token (or $LODESTONE_TOKEN)")->envname("LODESTONE_TOKEN");
  app.add_option("--host", o.host, "server address")->capture_default_str();
  app.add_option("--port", o.port, "server port")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_option("--name", o.name, "shown to the others in the room")->capture_default_str();
  bool want_xr = false, want_desktop = false, want_headless = false;
  auto* xr = app.add_flag("--xr", want_xr, "in a headset, through the active OpenXR runtime");
  auto* desktop = app.add_flag("--desktop", want_desktop, "in a window (the default with a display)");
  auto* headless =
      app.add_flag("--headless", want_headless, "run --script and write pictures to --out (the default without a display)");
  xr->excludes(desktop)->excludes(headless);
  desktop->excludes(headless);
  app.add_option("--script", o.script, "headless: the camera and gesture script");
  app.add_option("--out", o.out, "headless: where the pictures go")->capture_default_str();
  app.add_option("--width", o.width, "picture or window width, pixels")->check(CLI::Range(16, 8192))->capture_default_str();
  app.add_option("--height", o.height, "picture or window height, pixels")->check(CLI::Range(16, 8192))->capture_default_str();
  bool no_text = false;
  app.add_flag("--no-text", no_text, "headless: no status text on the pictures");
  app.add_flag("--validation", o.validation, "run under the Vulkan validation layer; exit 3 if it reports anything");
  app.add_option("--frames", o.frames, "desktop: close after N frames (smoke tests); headset: ask to exit")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--smooth-locomotion", o.smooth_locomotion,
               "headset: the left stick walks where the head faces (off: teleport and snap turns)");
  o.cache_dir = client::default_cache_dir().string();
  app.add_option("--cache-dir", o.cache_dir, "where thumbnails and heard clips are kept between sessions")
      ->capture_default_str();
  bool no_cache = false;
  app.add_flag("--no-cache", no_cache, "keep no thumbnails or clips on disk");
  help = app.help();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    error.clear();
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    // CLI11 names the option, the value and what it accepts ("--port: Value 70000 not in range [1 - 65535]").
    error = e.what();
    return std::nullopt;
  }
  o.text = !no_text;
  if (no_cache) o.cache_dir.clear();
  if (want_xr) o.backend = Backend::Xr;
  if (want_desktop) o.backend = Backend::Desktop;
  if (want_headless) o.backend = Backend::Headless;
  if (o.token.empty()) return error = "--token is required (or $LODESTONE_TOKEN)", std::nullopt;
  if (choose_backend(o.backend) == Backend::Headless && o.script.empty()) {
    return error = "the headless client needs --script FILE (no display found, or --headless given)", std::nullopt;
  }
  return o;
}

Backend choose_backend(Backend asked) {
  if (asked != Backend::Auto) return asked;
  const char* x = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  return (x != nullptr && *x != '\0') || (wayland != nullptr && *wayland != '\0') ? Backend::Desktop : Backend::Headless;
}

}  // namespace lodestone::vr
