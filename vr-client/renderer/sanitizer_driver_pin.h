#pragma once
// Under AddressSanitizer only: keeps the Vulkan drivers and layers the loader opened mapped
// until the process ends. The loader unloads them when the instance goes; LeakSanitizer
// runs after that and then cannot name the module of what they kept, so the suppressions
// for third-party drivers (tests/sanitizers/lsan.supp) could not apply. Does nothing in
// other builds.
namespace lodestone::render {

void pin_vulkan_drivers_for_leak_checks();

}  // namespace lodestone::render
