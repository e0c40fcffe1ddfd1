#include "renderer/sanitizer_driver_pin.h"

#if defined(__SANITIZE_ADDRESS__)
#include <dlfcn.h>
#include <link.h>

#include <cstring>
#endif

namespace lodestone::render {

#if defined(__SANITIZE_ADDRESS__)
namespace {

// Drivers are libvulkan_<name>.so; layers are libVkLayer_<name>.so.
bool is_driver_or_layer(const char* path) {
  const char* base = std::strrchr(path, '/');
  base = base != nullptr ? base + 1 : path;
  return std::strncmp(base, "libvulkan_", 10) == 0 || std::strncmp(base, "libVkLayer_", 11) == 0;
}

int pin(dl_phdr_info* info, std::size_t, void*) {
  if (info->dlpi_name != nullptr && is_driver_or_layer(info->dlpi_name)) {
    // RTLD_NOLOAD: only already-loaded objects; RTLD_NODELETE: never unmapped.
    dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  }
  return 0;
}

}  // namespace

void pin_vulkan_drivers_for_leak_checks() { dl_iterate_phdr(&pin, nullptr); }
#else
void pin_vulkan_drivers_for_leak_checks() {}
#endif

}  // namespace lodestone::render
