#pragma once
// Opening the headset: the OpenXR instance (XR_KHR_vulkan_enable2 required,
// XR_KHR_composition_layer_depth and XR_EXT_hand_tracking used when offered) and the
// head-mounted system. What a
// user can fix (no runtime, a runtime without Vulkan, no headset) comes back as
// HeadsetUnavailable with a message that says so.
#include "backends/xr_check.h"
#include "renderer/gpu_context.h"

#include <stdexcept>
#include <string>

namespace lodestone::xr {

class HeadsetUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HeadsetSystem {
 public:
  HeadsetSystem();  // throws HeadsetUnavailable, or XrCallError for anything else
  ~HeadsetSystem();
  HeadsetSystem(const HeadsetSystem&) = delete;
  HeadsetSystem& operator=(const HeadsetSystem&) = delete;

  XrInstance instance() const { return instance_; }
  XrSystemId system() const { return system_; }
  bool depth_layers() const { return depth_layers_; }
  bool hand_tracking() const { return hand_tracking_; }  // the runtime offers it and the system can
  const std::string& description() const { return description_; }
  XrPath path(const char* text) const;

  // The Vulkan instance and device made through the runtime, on the GPU it names.
  render::GpuOptions::External vulkan_creation() const;

 private:
  XrInstance instance_ = XR_NULL_HANDLE;
  XrSystemId system_ = XR_NULL_SYSTEM_ID;
  bool depth_layers_ = false;
  bool hand_tracking_ = false;
  std::string description_;
};

}  // namespace lodestone::xr
