#pragma once
// The desktop backend's target: a GLFW window's Vulkan swapchain. Each frame it hands the
// renderer the acquired image, then presents it; rebuilt when the window changes size.
#include "renderer/renderer.h"

#include <functional>
#include <vector>

struct GLFWwindow;

namespace lodestone::render {

// The instance extensions and surface maker a GpuContext needs for this window.
GpuOptions window_gpu_options(GLFWwindow* window, bool validation);

class WindowSwapchain {
 public:
  WindowSwapchain(GpuContext& gpu, GLFWwindow* window);
  ~WindowSwapchain();
  WindowSwapchain(const WindowSwapchain&) = delete;
  WindowSwapchain& operator=(const WindowSwapchain&) = delete;

  VkFormat format() const { return format_; }
  VkExtent2D extent() const { return extent_; }

  // Waits until the previous frame is done: only then may the renderer's data change.
  void wait_previous_frame();
  // Acquires an image, lets `record` draw into it, submits and presents. False when the
  // swapchain had to be rebuilt (the frame is skipped).
  bool draw(const std::function<void(VkCommandBuffer, const ColorTarget&)>& record);

 private:
  void create();
  void destroy_swapchain();

  GpuContext& gpu_;
  GLFWwindow* window_;
  VkSwapchainKHR swapchain_ = VK_NULL_HANDLE;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  VkExtent2D extent_{};
  std::vector<VkImage> images_;
  std::vector<VkImageView> views_;
  std::vector<VkSemaphore> rendered_;  // one per image: presentation waits on it
  VkSemaphore acquired_ = VK_NULL_HANDLE;
  VkFence done_ = VK_NULL_HANDLE;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
};

}  // namespace lodestone::render
