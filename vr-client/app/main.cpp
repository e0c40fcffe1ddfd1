// lodestone-vr: the annotator's client. One application, several backends: a desktop
// window (mouse and keyboard), a headless one (scripted, writes PNGs) and a headset
// (OpenXR), all on the same renderer and interaction core.
#include "app/desktop_run.h"
#include "app/headless_run.h"
#include "app/options.h"
#include "app/xr_run.h"
#include "backends/xr_check.h"
#include "renderer/vk_check.h"

#include <cstdio>

int main(int argc, char** argv) {
  using namespace lodestone::vr;
  std::string error, help;
  const auto options = parse_options(argc, argv, error, help);
  if (!options) {
    if (!error.empty()) {
      std::fprintf(stderr, "lodestone-vr: %s (--help lists every option)\n", error.c_str());
      return 2;
    }
    std::fputs(help.c_str(), stdout);
    return 0;
  }
  try {
    switch (choose_backend(options->backend)) {
      case Backend::Headless: return run_headless(*options);
      case Backend::Xr: return run_xr(*options);
      default: return run_desktop(*options);
    }
  } catch (const lodestone::xr::XrCallError& e) {
    std::fprintf(stderr, "lodestone-vr: OpenXR: %s\n", e.what());
    return 1;
  } catch (const lodestone::render::VulkanError& e) {
    std::fprintf(stderr, "lodestone-vr: Vulkan: %s\n", e.what());
    return 1;
  }
}
