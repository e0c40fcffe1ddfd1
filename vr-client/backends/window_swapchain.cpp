#include "backends/window_swapchain.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include <algorithm>

namespace lodestone::render {

GpuOptions window_gpu_options(GLFWwindow* window, bool validation) {
  GpuOptions options;
  options.validation = validation;
  std::uint32_t count = 0;
  const char** names = glfwGetRequiredInstanceExtensions(&count);
  if (names == nullptr) throw VulkanError("GLFW found no Vulkan support for windows");
  for (std::uint32_t i = 0; i < count; ++i) options.instance_extensions.emplace_back(names[i]);
  options.make_surface = [window](VkInstance instance) {
    VkSurfaceKHR surface = VK_NULL_HANDLE;
    CHECK_VK(glfwCreateWindowSurface(instance, window, nullptr, &surface));
    return surface;
  };
  return options;
}

WindowSwapchain::WindowSwapchain(GpuContext& gpu, GLFWwindow* window) : gpu_(gpu), window_(window) {
  auto semaphore = vk_struct<VkSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO);
  CHECK_VK(vkCreateSemaphore(gpu_.device(), &semaphore, nullptr, &acquired_));
  auto fence = vk_struct<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
  fence.flags = VK_FENCE_CREATE_SIGNALED_BIT;
  CHECK_VK(vkCreateFence(gpu_.device(), &fence, nullptr, &done_));
  auto alloc = vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
  alloc.commandPool = gpu_.command_pool();
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  CHECK_VK(vkAllocateCommandBuffers(gpu_.device(), &alloc, &cmd_));
  create();
}

WindowSwapchain::~WindowSwapchain() {
  vkDeviceWaitIdle(gpu_.device());
  destroy_swapchain();
  vkFreeCommandBuffers(gpu_.device(), gpu_.command_pool(), 1, &cmd_);
  vkDestroyFence(gpu_.device(), done_, nullptr);
  vkDestroySemaphore(gpu_.device(), acquired_, nullptr);
}

void WindowSwapchain::create() {
  VkSurfaceCapabilitiesKHR caps;
  CHECK_VK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(gpu_.physical_device(), gpu_.surface(), &caps));
  std::uint32_t count = 0;
  CHECK_VK(vkGetPhysicalDeviceSurfaceFormatsKHR(gpu_.physical_device(), gpu_.surface(), &count, nullptr));
  std::vector<VkSurfaceFormatKHR> formats(count);
  CHECK_VK(vkGetPhysicalDeviceSurfaceFormatsKHR(gpu_.physical_device(), gpu_.surface(), &count, formats.data()));
  // UNORM, as the offscreen target: the shaders' colours land unchanged.
  VkSurfaceFormatKHR chosen = formats.at(0);
  for (const auto& f : formats) {
    if (f.format == VK_FORMAT_B8G8R8A8_UNORM || f.format == VK_FORMAT_R8G8B8A8_UNORM) chosen = f;
  }
  if (format_ != VK_FORMAT_UNDEFINED && chosen.format != format_) {
    throw VulkanError("the window's surface format changed; the renderer was built for another");
  }
  format_ = chosen.format;
  if (caps.currentExtent.width != UINT32_MAX) {
    extent_ = caps.currentExtent;
  } else {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    extent_ = {std::clamp(static_cast<std::uint32_t>(w), caps.minImageExtent.width, caps.maxImageExtent.width),
               std::clamp(static_cast<std::uint32_t>(h), caps.minImageExtent.height, caps.maxImageExtent.height)};
  }
  auto info = vk_struct<VkSwapchainCreateInfoKHR>(VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR);
  info.surface = gpu_.surface();
  info.minImageCount = caps.maxImageCount == 0 ? caps.minImageCount + 1 : std::min(caps.minImageCount + 1, caps.maxImageCount);
  info.imageFormat = chosen.format;
  info.imageColorSpace = chosen.colorSpace;
  info.imageExtent = extent_;
  info.imageArrayLayers = 1;
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = caps.currentTransform;
  info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
  info.presentMode = VK_PRESENT_MODE_FIFO_KHR;  // always available
  info.clipped = VK_TRUE;
  CHECK_VK(vkCreateSwapchainKHR(gpu_.device(), &info, nullptr, &swapchain_));
  CHECK_VK(vkGetSwapchainImagesKHR(gpu_.device(), swapchain_, &count, nullptr));
  images_.resize(count);
  CHECK_VK(vkGetSwapchainImagesKHR(gpu_.device(), swapchain_, &count, images_.data()));
  for (VkImage image : images_) {
    auto view = vk_struct<VkImageViewCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO);
    view.image = image;
    view.viewType = VK_IMAGE_VIEW_TYPE_2D;
    view.format = format_;
    view.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView v;
    CHECK_VK(vkCreateImageView(gpu_.device(), &view, nullptr, &v));
    views_.push_back(v);
    auto semaphore = vk_struct<VkSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO);
    VkSemaphore s;
    CHECK_VK(vkCreateSemaphore(gpu_.device(), &semaphore, nullptr, &s));
    rendered_.push_back(s);
  }
}

void WindowSwapchain::destroy_swapchain() {
  for (VkImageView v : views_) vkDestroyImageView(gpu_.device(), v, nullptr);
  for (VkSemaphore s : rendered_) vkDestroySemaphore(gpu_.device(), s, nullptr);
  views_.clear();
  rendered_.clear();
  images_.clear();
  if (swapchain_ != VK_NULL_HANDLE) vkDestroySwapchainKHR(gpu_.device(), swapchain_, nullptr);
  swapchain_ = VK_NULL_HANDLE;
}

void WindowSwapchain::wait_previous_frame() {
  CHECK_VK(vkWaitForFences(gpu_.device(), 1, &done_, VK_TRUE, UINT64_MAX));
}

bool WindowSwapchain::draw(const std::function<void(VkCommandBuffer, const ColorTarget&)>& record) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  if (w == 0 || h == 0) return false;  // minimised
  std::uint32_t index = 0;
  VkResult acquired = vkAcquireNextImageKHR(gpu_.device(), swapchain_, UINT64_MAX, acquired_, VK_NULL_HANDLE, &index);
  if (acquired == VK_ERROR_OUT_OF_DATE_KHR) {
    CHECK_VK(vkDeviceWaitIdle(gpu_.device()));
    destroy_swapchain();
    create();
    return false;
  }
  CHECK_VK(acquired);
  CHECK_VK(vkResetFences(gpu_.device(), 1, &done_));
  CHECK_VK(vkResetCommandBuffer(cmd_, 0));
  auto begin = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  CHECK_VK(vkBeginCommandBuffer(cmd_, &begin));
  record(cmd_, ColorTarget{images_[index], views_[index], extent_, VK_IMAGE_LAYOUT_UNDEFINED,
                           VK_IMAGE_LAYOUT_PRESENT_SRC_KHR});
  CHECK_VK(vkEndCommandBuffer(cmd_));
  const VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
  auto submit = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
  submit.waitSemaphoreCount = 1;
  submit.pWaitSemaphores = &acquired_;
  submit.pWaitDstStageMask = &wait_stage;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd_;
  submit.signalSemaphoreCount = 1;
  submit.pSignalSemaphores = &rendered_[index];
  CHECK_VK(vkQueueSubmit(gpu_.queue(), 1, &submit, done_));
  auto present = vk_struct<VkPresentInfoKHR>(VK_STRUCTURE_TYPE_PRESENT_INFO_KHR);
  present.waitSemaphoreCount = 1;
  present.pWaitSemaphores = &rendered_[index];
  present.swapchainCount = 1;
  present.pSwapchains = &swapchain_;
  present.pImageIndices = &index;
  const VkResult presented = vkQueuePresentKHR(gpu_.queue(), &present);
  if (presented == VK_ERROR_OUT_OF_DATE_KHR || presented == VK_SUBOPTIMAL_KHR) {
    CHECK_VK(vkDeviceWaitIdle(gpu_.device()));
    destroy_swapchain();
    create();
    return true;
  }
  CHECK_VK(presented);
  return true;
}

}  // namespace lodestone::render
