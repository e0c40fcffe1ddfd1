// Swapchains: Vulkan images the runtime makes on the application's device, handed out in
// turn; colour images wait in COLOR_ATTACHMENT_OPTIMAL, depth in DEPTH_STENCIL_ATTACHMENT_-
// OPTIMAL, as XR_KHR_vulkan_enable2 promises. capture() copies one to a PNG for tests.
#include "runtime.h"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cstring>

namespace {

using namespace xrt;

// sRGB colour first: the format a runtime prefers comes first.
constexpr VkFormat kFormats[] = {VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_B8G8R8A8_SRGB, VK_FORMAT_R8G8B8A8_UNORM,
                                 VK_FORMAT_D32_SFLOAT};

bool is_depth(VkFormat f) { return f == VK_FORMAT_D32_SFLOAT; }

std::uint32_t memory_type(VkPhysicalDevice physical, std::uint32_t bits, VkMemoryPropertyFlags flags) {
  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(physical, &props);
  for (std::uint32_t i = 0; i < props.memoryTypeCount; ++i) {
    if ((bits & (1u << i)) != 0 && (props.memoryTypes[i].propertyFlags & flags) == flags) return i;
  }
  return UINT32_MAX;
}

// Records with `record` on the application's queue and waits (the client is single-threaded).
template <class Record>
bool run_once(XrSession_T& s, Record record) {
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO, nullptr, s.pool,
                                    VK_COMMAND_BUFFER_LEVEL_PRIMARY, 1};
  VkCommandBuffer cmd;
  if (vkAllocateCommandBuffers(s.device, &alloc, &cmd) != VK_SUCCESS) return false;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO, nullptr,
                                 VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT, nullptr};
  vkBeginCommandBuffer(cmd, &begin);
  record(cmd);
  vkEndCommandBuffer(cmd);
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO, nullptr, 0, nullptr, nullptr, 1, &cmd, 0, nullptr};
  const bool ok = vkQueueSubmit(s.queue, 1, &submit, VK_NULL_HANDLE) == VK_SUCCESS && vkQueueWaitIdle(s.queue) == VK_SUCCESS;
  vkFreeCommandBuffers(s.device, s.pool, 1, &cmd);
  return ok;
}

void barrier(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, std::uint32_t layer, std::uint32_t layers,
             VkImageLayout from, VkImageLayout to, VkAccessFlags src_access, VkAccessFlags dst_access,
             VkPipelineStageFlags src_stage, VkPipelineStageFlags dst_stage) {
  VkImageMemoryBarrier b{};
  b.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER;
  b.srcAccessMask = src_access;
  b.dstAccessMask = dst_access;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {aspect, 0, 1, layer, layers};
  vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

void destroy_images(XrSwapchain_T& sc) {
  for (auto& img : sc.images) {
    vkDestroyImage(sc.session->device, img.image, nullptr);
    vkFreeMemory(sc.session->device, img.memory, nullptr);
  }
  sc.images.clear();
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateSwapchainFormats(XrSession, std::uint32_t capacity, std::uint32_t* count,
                                                         std::int64_t* formats) {
  *count = static_cast<std::uint32_t>(std::size(kFormats));
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  for (std::uint32_t i = 0; i < *count; ++i) formats[i] = kFormats[i];
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateSwapchain(XrSession session, const XrSwapchainCreateInfo* info, XrSwapchain* out) {
  const auto format = static_cast<VkFormat>(info->format);
  if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats)) {
    return XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED;
  }
  if (info->width == 0 || info->height == 0 || info->arraySize == 0 || info->faceCount != 1 || info->mipCount != 1 ||
      info->sampleCount != 1) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  auto* sc = new XrSwapchain_T;
  sc->session = session;
  sc->format = format;
  sc->width = info->width;
  sc->height = info->height;
  sc->layers = info->arraySize;
  sc->depth = is_depth(format);
  VkImageUsageFlags usage = 0;
  if ((info->usageFlags & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT) != 0) usage |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  if ((info->usageFlags & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT) != 0) usage |= VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
  if ((info->usageFlags & XR_SWAPCHAIN_USAGE_SAMPLED_BIT) != 0) usage |= VK_IMAGE_USAGE_SAMPLED_BIT;
  if ((info->usageFlags & XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT) != 0) usage |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  usage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;  // the compositor (here: capture) reads it
  VkImageCreateInfo image{};
  image.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO;
  if ((info->usageFlags & XR_SWAPCHAIN_USAGE_MUTABLE_FORMAT_BIT) != 0) image.flags |= VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT;
  image.imageType = VK_IMAGE_TYPE_2D;
  image.format = format;
  image.extent = {info->width, info->height, 1};
  image.mipLevels = 1;
  image.arrayLayers = info->arraySize;
  image.samples = VK_SAMPLE_COUNT_1_BIT;
  image.tiling = VK_IMAGE_TILING_OPTIMAL;
  image.usage = usage;
  image.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  for (int i = 0; i < 3; ++i) {
    SwapchainImage img;
    if (vkCreateImage(session->device, &image, nullptr, &img.image) != VK_SUCCESS) break;
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(session->device, img.image, &req);
    VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, nullptr, req.size,
                               memory_type(session->instance->physical, req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)};
    if (vkAllocateMemory(session->device, &alloc, nullptr, &img.memory) != VK_SUCCESS ||
        vkBindImageMemory(session->device, img.image, img.memory, 0) != VK_SUCCESS) {
      vkDestroyImage(session->device, img.image, nullptr);
      break;
    }
    sc->images.push_back(img);
  }
  const VkImageAspectFlags aspect = sc->depth ? VK_IMAGE_ASPECT_DEPTH_BIT : VK_IMAGE_ASPECT_COLOR_BIT;
  const VkImageLayout ready = sc->depth ? VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  const bool made = sc->images.size() == 3 && run_once(*session, [&](VkCommandBuffer cmd) {
    for (const auto& img : sc->images) {
      barrier(cmd, img.image, aspect, 0, sc->layers, VK_IMAGE_LAYOUT_UNDEFINED, ready, 0, 0,
              VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
    }
  });
  if (!made) {
    destroy_images(*sc);
    delete sc;
    return XR_ERROR_RUNTIME_FAILURE;
  }
  *out = sc;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroySwapchain(XrSwapchain sc) {
  vkDeviceWaitIdle(sc->session->device);
  destroy_images(*sc);
  delete sc;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateSwapchainImages(XrSwapchain sc, std::uint32_t capacity, std::uint32_t* count,
                                                        XrSwapchainImageBaseHeader* images) {
  *count = static_cast<std::uint32_t>(sc->images.size());
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  auto* vk = reinterpret_cast<XrSwapchainImageVulkanKHR*>(images);
  for (std::uint32_t i = 0; i < *count; ++i) {
    if (vk[i].type != XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR) return XR_ERROR_VALIDATION_FAILURE;
    vk[i].image = sc->images[i].image;
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL AcquireSwapchainImage(XrSwapchain sc, const XrSwapchainImageAcquireInfo*, std::uint32_t* index) {
  if (sc->acquired.size() >= sc->images.size()) return XR_ERROR_CALL_ORDER_INVALID;
  *index = sc->next;
  sc->acquired.push_back(sc->next);
  sc->next = (sc->next + 1) % static_cast<std::uint32_t>(sc->images.size());
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL WaitSwapchainImage(XrSwapchain sc, const XrSwapchainImageWaitInfo*) {
  if (sc->acquired.empty() || sc->waited) return XR_ERROR_CALL_ORDER_INVALID;
  sc->waited = true;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL ReleaseSwapchainImage(XrSwapchain sc, const XrSwapchainImageReleaseInfo*) {
  if (sc->acquired.empty() || !sc->waited) return XR_ERROR_CALL_ORDER_INVALID;
  sc->last_released = sc->acquired.front();
  sc->acquired.pop_front();
  sc->waited = false;
  return XR_SUCCESS;
}

}  // namespace

namespace xrt {

bool capture(XrSwapchain_T& sc, std::uint32_t layer, const std::string& path) {
  if (sc.depth || sc.last_released < 0) return false;
  XrSession_T& s = *sc.session;
  const VkDeviceSize bytes = VkDeviceSize{sc.width} * sc.height * 4;
  VkBufferCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = bytes;
  info.usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  VkBuffer buffer;
  if (vkCreateBuffer(s.device, &info, nullptr, &buffer) != VK_SUCCESS) return false;
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(s.device, buffer, &req);
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, nullptr, req.size,
                             memory_type(s.instance->physical, req.memoryTypeBits,
                                         VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)};
  VkDeviceMemory memory;
  if (vkAllocateMemory(s.device, &alloc, nullptr, &memory) != VK_SUCCESS) {
    vkDestroyBuffer(s.device, buffer, nullptr);
    return false;
  }
  vkBindBufferMemory(s.device, buffer, memory, 0);
  const VkImage image = sc.images[static_cast<std::size_t>(sc.last_released)].image;
  bool ok = run_once(s, [&](VkCommandBuffer cmd) {
    barrier(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, layer, 1, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT,
            VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT);
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, layer, 1};
    region.imageExtent = {sc.width, sc.height, 1};
    vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer, 1, &region);
    barrier(cmd, image, VK_IMAGE_ASPECT_COLOR_BIT, layer, 1, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
            VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ACCESS_TRANSFER_READ_BIT, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
            VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT);
  });
  if (ok) {
    void* mapped = nullptr;
    vkMapMemory(s.device, memory, 0, bytes, 0, &mapped);
    std::vector<std::uint8_t> pixels(static_cast<const std::uint8_t*>(mapped), static_cast<const std::uint8_t*>(mapped) + bytes);
    vkUnmapMemory(s.device, memory);
    if (sc.format == VK_FORMAT_B8G8R8A8_SRGB) {
      for (std::size_t i = 0; i < pixels.size(); i += 4) std::swap(pixels[i], pixels[i + 2]);
    }
    // The bytes as stored: for an sRGB image, the encoded values a display would show.
    ok = stbi_write_png(path.c_str(), static_cast<int>(sc.width), static_cast<int>(sc.height), 4, pixels.data(),
                        static_cast<int>(sc.width * 4)) != 0;
  }
  vkDestroyBuffer(s.device, buffer, nullptr);
  vkFreeMemory(s.device, memory, nullptr);
  return ok;
}

PFN_xrVoidFunction lookup_swapchain(const char* fn) {
#define LODESTONE_XR_ENTRY(name) \
  if (std::strcmp(fn, "xr" #name) == 0) return reinterpret_cast<PFN_xrVoidFunction>(&name);
  LODESTONE_XR_ENTRY(EnumerateSwapchainFormats)
  LODESTONE_XR_ENTRY(CreateSwapchain)
  LODESTONE_XR_ENTRY(DestroySwapchain)
  LODESTONE_XR_ENTRY(EnumerateSwapchainImages)
  LODESTONE_XR_ENTRY(AcquireSwapchainImage)
  LODESTONE_XR_ENTRY(WaitSwapchainImage)
  LODESTONE_XR_ENTRY(ReleaseSwapchainImage)
#undef LODESTONE_XR_ENTRY
  return nullptr;
}

}  // namespace xrt
