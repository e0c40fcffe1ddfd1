#pragma once
// One OpenXR session on the renderer's Vulkan device: the tracking space (stage, or local
// when the headset has no stage), one colour swapchain per eye in the runtime's preferred
// sRGB format (and a depth swapchain per eye when XR_KHR_composition_layer_depth is on),
// and the frame calls. The lifecycle decisions (begin on READY, end on STOPPING, rebuild
// on LOSS_PENDING) are the caller's, driven by the events it polls.
#include "backends/xr_system.h"
#include "renderer/renderer.h"

#include <array>
#include <functional>
#include <optional>

namespace lodestone::xr {

class HeadsetSession {
 public:
  static constexpr float kNear = 0.05f, kFar = 100.0f;

  HeadsetSession(const HeadsetSystem& system, render::GpuContext& gpu);
  ~HeadsetSession();
  HeadsetSession(const HeadsetSession&) = delete;
  HeadsetSession& operator=(const HeadsetSession&) = delete;

  XrSession handle() const { return session_; }
  XrSpace space() const { return space_; }  // tracking space: where poses are given
  bool stage() const { return stage_; }
  bool running() const { return running_; }
  // The format the renderer draws with (a view of the sRGB images that keeps the bytes
  // the shaders write, which are already display-encoded).
  VkFormat render_format() const { return view_format_; }
  VkFormat swapchain_format() const { return format_; }
  VkExtent2D eye_extent() const { return extent_; }

  void begin();
  void end();
  void request_exit();

  // xrWaitFrame (blocks until the runtime wants the next frame) then xrBeginFrame.
  XrFrameState begin_frame();
  // The eyes at the frame's predicted display time, or nothing when tracking is lost.
  std::optional<std::array<XrView, 2>> locate_views(XrTime time) const;
  Pose head(XrTime time) const;
  // Waits for the GPU to finish the previous frame (before the renderer's uploads).
  void wait_gpu();
  // Acquires each eye's images, records `draw` for both eyes in one submission, releases
  // them, and ends the frame with one projection layer (none when `views` is empty).
  void end_frame(const XrFrameState& frame, const std::optional<std::array<XrView, 2>>& views,
                 const std::function<void(VkCommandBuffer, const render::ColorTarget&, std::uint32_t)>& draw);

 private:
  struct EyeChain {
    XrSwapchain color = XR_NULL_HANDLE, depth = XR_NULL_HANDLE;
    std::vector<VkImage> color_images, depth_images;
    std::vector<VkImageView> color_views, depth_views;
  };
  void release();
  void choose_space();
  void choose_formats();
  void make_swapchains();
  XrSwapchain make_swapchain(VkFormat format, XrSwapchainUsageFlags usage, std::vector<VkImage>& images,
                             std::vector<VkImageView>& views, VkFormat view_format, VkImageAspectFlags aspect);

  const HeadsetSystem& system_;
  render::GpuContext& gpu_;
  XrSession session_ = XR_NULL_HANDLE;
  XrSpace space_ = XR_NULL_HANDLE, view_space_ = XR_NULL_HANDLE;
  bool stage_ = false, running_ = false, depth_ = false;
  VkFormat format_ = VK_FORMAT_UNDEFINED, view_format_ = VK_FORMAT_UNDEFINED;
  VkExtent2D extent_{};
  std::array<EyeChain, 2> eyes_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  bool submitted_ = false;
};

}  // namespace lodestone::xr
