#include "backends/offscreen.h"

#include <stb/stb_image_write.h>

#include <cstring>

namespace lodestone::render {

namespace {
constexpr VkFormat kFormat = VK_FORMAT_R8G8B8A8_UNORM;  // bytes as the shaders wrote them
}

std::array<std::uint8_t, 4> RgbaImage::at(std::uint32_t x, std::uint32_t y) const {
  const std::size_t i = (std::size_t{y} * width + x) * 4;
  return {pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]};
}

bool write_png(const std::string& path, const RgbaImage& image, std::string& error) {
  if (stbi_write_png(path.c_str(), static_cast<int>(image.width), static_cast<int>(image.height), 4,
                     image.pixels.data(), static_cast<int>(image.width * 4)) == 0) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

OffscreenRenderer::OffscreenRenderer(GpuContext& gpu, std::uint32_t width, std::uint32_t height)
    : gpu_(gpu), width_(width), height_(height), renderer_(gpu, kFormat) {
  auto info = vk_struct<VkImageCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO);
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = kFormat;
  info.extent = {width, height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  color_ = gpu_.create_image(info, VK_IMAGE_VIEW_TYPE_2D, VK_IMAGE_ASPECT_COLOR_BIT);
  readback_ = gpu_.create_buffer(VkDeviceSize{width} * height * 4, VK_BUFFER_USAGE_TRANSFER_DST_BIT);
  auto alloc = vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
  alloc.commandPool = gpu_.command_pool();
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  CHECK_VK(vkAllocateCommandBuffers(gpu_.device(), &alloc, &cmd_));
  auto fence = vk_struct<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
  CHECK_VK(vkCreateFence(gpu_.device(), &fence, nullptr, &fence_));
}

OffscreenRenderer::~OffscreenRenderer() {
  vkDeviceWaitIdle(gpu_.device());
  vkDestroyFence(gpu_.device(), fence_, nullptr);
  vkFreeCommandBuffers(gpu_.device(), gpu_.command_pool(), 1, &cmd_);
  gpu_.destroy(readback_);
  gpu_.destroy(color_);
}

RgbaImage OffscreenRenderer::render(const client::FrameScene& frame, const client::EyeView& eye) {
  renderer_.prepare_frame(frame, std::span(&eye, 1));
  CHECK_VK(vkResetCommandBuffer(cmd_, 0));
  auto begin = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  CHECK_VK(vkBeginCommandBuffer(cmd_, &begin));
  ColorTarget target{color_.image, color_.view, {width_, height_}, VK_IMAGE_LAYOUT_UNDEFINED,
                     VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL};
  renderer_.record(cmd_, target, 0);
  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  region.imageExtent = {width_, height_, 1};
  vkCmdCopyImageToBuffer(cmd_, color_.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback_.buffer, 1, &region);
  // Make the copy visible to the host before mapping it.
  auto barrier = vk_struct<VkBufferMemoryBarrier>(VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER);
  barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  barrier.srcQueueFamilyIndex = barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.buffer = readback_.buffer;
  barrier.size = VK_WHOLE_SIZE;
  vkCmdPipelineBarrier(cmd_, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1, &barrier, 0,
                       nullptr);
  CHECK_VK(vkEndCommandBuffer(cmd_));
  auto submit = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd_;
  CHECK_VK(vkQueueSubmit(gpu_.queue(), 1, &submit, fence_));
  CHECK_VK(vkWaitForFences(gpu_.device(), 1, &fence_, VK_TRUE, UINT64_MAX));
  CHECK_VK(vkResetFences(gpu_.device(), 1, &fence_));
  RgbaImage image{width_, height_, std::vector<std::uint8_t>(std::size_t{width_} * height_ * 4)};
  std::memcpy(image.pixels.data(), readback_.mapped, image.pixels.size());
  return image;
}

}  // namespace lodestone::render
