#include "app/options.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace lodestone::vr {
namespace {

template <class T>
bool parse_number(const char* text, T& out) {
  const auto* end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, std::string& error) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return nullptr;
      }
      return argv[++i];
    };
    const char* v = nullptr;
    if (arg == "--help" || arg == "-h") {
      error.clear();
      return std::nullopt;
    } else if (arg == "--headless") {
      o.backend = Backend::Headless;
    } else if (arg == "--desktop") {
      o.backend = Backend::Desktop;
    } else if (arg == "--xr") {
      o.backend = Backend::Xr;
    } else if (arg == "--validation") {
      o.validation = true;
    } else if (arg == "--smooth-locomotion") {
      o.smooth_locomotion = true;
    } else if (arg == "--no-text") {
      o.text = false;
    } else if (arg == "--host" || arg == "--token" || arg == "--name" || arg == "--script" || arg == "--out") {
      if ((v = value()) == nullptr) return std::nullopt;
      (arg == "--host" ? o.host : arg == "--token" ? o.token : arg == "--name" ? o.name : arg == "--script" ? o.script : o.out) = v;
    } else if (arg == "--port") {
      if ((v = value()) == nullptr) return std::nullopt;
      if (!parse_number(v, o.port) || o.port == 0) return error = "--port wants a port number, not " + std::string(v), std::nullopt;
    } else if (arg == "--frames") {
      if ((v = value()) == nullptr) return std::nullopt;
      if (!parse_number(v, o.frames)) return error = "--frames wants a count", std::nullopt;
    } else if (arg == "--width" || arg == "--height") {
      if ((v = value()) == nullptr) return std::nullopt;
      std::uint32_t n = 0;
      if (!parse_number(v, n) || n < 16 || n > 8192) return error = arg + " wants 16..8192 pixels", std::nullopt;
      (arg == "--width" ? o.width : o.height) = n;
    } else {
      error = "unknown option " + arg;
      return std::nullopt;
    }
  }
  if (o.token.empty()) return error = "--token is required", std::nullopt;
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
