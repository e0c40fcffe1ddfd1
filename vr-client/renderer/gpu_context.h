#pragma once
// The Vulkan instance, device and queue every backend renders with; optionally the Khronos
// validation layer with a messenger that records every message it reports (tests fail
// on any). Buffers and images the renderer needs come from here.
#include "renderer/vk_check.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace lodestone::render {

struct GpuOptions {
  // Enable VK_LAYER_KHRONOS_validation; the context refuses to start without it. Also on
  // when LODESTONE_VK_VALIDATION=1 is in the environment.
  bool validation = false;
  std::vector<std::string> instance_extensions;  // e.g. what GLFW needs for a window
  // Makes the window surface once the instance exists; the queue must then present to it.
  std::function<VkSurfaceKHR(VkInstance)> make_surface;
  // A headset runtime creates the instance and device and names the GPU wired to the
  // headset (OpenXR XR_KHR_vulkan_enable2); each unset step the context does itself.
  struct External {
    std::function<VkInstance(const VkInstanceCreateInfo&)> create_instance;
    std::function<VkPhysicalDevice(VkInstance)> physical_device;
    std::function<VkDevice(VkPhysicalDevice, const VkDeviceCreateInfo&)> create_device;
  } external = {};
};

// A buffer in host-visible, coherent memory, mapped for its whole life.
struct GpuBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void* mapped = nullptr;
  VkDeviceSize size = 0;
};

struct GpuImage {
  VkImage image = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkImageView view = VK_NULL_HANDLE;
};

class GpuContext {
 public:
  explicit GpuContext(GpuOptions options = {});
  ~GpuContext();
  GpuContext(const GpuContext&) = delete;
  GpuContext& operator=(const GpuContext&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physical_device() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  std::uint32_t queue_family() const { return queue_family_; }
  VkSurfaceKHR surface() const { return surface_; }
  VkCommandPool command_pool() const { return pool_; }
  const std::string& device_name() const { return device_name_; }

  bool validation_enabled() const { return validation_; }
  // Points wider than a pixel (the far items of a big cloud): the device's largePoints,
  // enabled when it has it, and its widest point; 1 without.
  float max_point_size() const { return max_point_size_; }
  // Every warning and error the validation layer reported, in order.
  const std::vector<std::string>& validation_messages() const { return messages_; }

  GpuBuffer create_buffer(VkDeviceSize size, VkBufferUsageFlags usage) const;
  void destroy(GpuBuffer& buffer) const;
  GpuImage create_image(const VkImageCreateInfo& info, VkImageViewType view_type, VkImageAspectFlags aspect,
                        VkComponentMapping swizzle = {}) const;
  void destroy(GpuImage& image) const;

  // Records with `record`, submits, and waits: for uploads, not for frames.
  void run_once(const std::function<void(VkCommandBuffer)>& record) const;

 private:
  static VKAPI_ATTR VkBool32 VKAPI_CALL on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT type,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data, void* self);
  void create_instance(const GpuOptions& options);
  void pick_device();
  void create_device();
  std::uint32_t memory_type(std::uint32_t bits, VkMemoryPropertyFlags flags) const;

  bool validation_ = false;
  GpuOptions::External external_;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  std::uint32_t queue_family_ = 0;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  std::string device_name_;
  float max_point_size_ = 1.0f;
  std::vector<std::string> messages_;
};

// One image layout transition, with the access masks the renderer's uses need.
void transition(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, VkImageLayout from, VkImageLayout to,
                std::uint32_t layers = 1);

}  // namespace lodestone::render
