#include "backends/xr_session.h"

#include <algorithm>
#include <cstdio>

namespace lodestone::xr {
namespace {

using render::vk_struct;

// The sRGB formats the renderer can draw (through a UNORM view of the same bytes).
VkFormat unorm_view_of(VkFormat f) {
  switch (f) {
    case VK_FORMAT_R8G8B8A8_SRGB: return VK_FORMAT_R8G8B8A8_UNORM;
    case VK_FORMAT_B8G8R8A8_SRGB: return VK_FORMAT_B8G8R8A8_UNORM;
    case VK_FORMAT_R8G8B8A8_UNORM:
    case VK_FORMAT_B8G8R8A8_UNORM: return f;
    default: return VK_FORMAT_UNDEFINED;
  }
}

Pose to_pose(const XrPosef& p) {
  return {{p.position.x, p.position.y, p.position.z},
          {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w}};
}

}  // namespace

HeadsetSession::HeadsetSession(const HeadsetSystem& system, render::GpuContext& gpu) : system_(system), gpu_(gpu) {
  auto binding = xr_struct<XrGraphicsBindingVulkan2KHR>(XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR);
  binding.instance = gpu.instance();
  binding.physicalDevice = gpu.physical_device();
  binding.device = gpu.device();
  binding.queueFamilyIndex = gpu.queue_family();
  binding.queueIndex = 0;
  auto info = xr_struct<XrSessionCreateInfo>(XR_TYPE_SESSION_CREATE_INFO);
  info.next = &binding;
  info.systemId = system.system();
  CHECK_XR(xrCreateSession(system.instance(), &info, &session_));
  try {
    choose_space();
    choose_formats();
    make_swapchains();
    auto alloc = vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
    alloc.commandPool = gpu.command_pool();
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    CHECK_VK(vkAllocateCommandBuffers(gpu.device(), &alloc, &cmd_));
    auto fence = vk_struct<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
    CHECK_VK(vkCreateFence(gpu.device(), &fence, nullptr, &fence_));
  } catch (...) {
    release();
    throw;
  }
}

HeadsetSession::~HeadsetSession() { release(); }

void HeadsetSession::release() {
  if (gpu_.device() != VK_NULL_HANDLE) vkDeviceWaitIdle(gpu_.device());
  if (fence_ != VK_NULL_HANDLE) vkDestroyFence(gpu_.device(), fence_, nullptr);
  if (cmd_ != VK_NULL_HANDLE) vkFreeCommandBuffers(gpu_.device(), gpu_.command_pool(), 1, &cmd_);
  fence_ = VK_NULL_HANDLE;
  cmd_ = VK_NULL_HANDLE;
  for (auto& eye : eyes_) {
    for (auto v : eye.color_views) vkDestroyImageView(gpu_.device(), v, nullptr);
    for (auto v : eye.depth_views) vkDestroyImageView(gpu_.device(), v, nullptr);
    if (eye.color != XR_NULL_HANDLE) xrDestroySwapchain(eye.color);
    if (eye.depth != XR_NULL_HANDLE) xrDestroySwapchain(eye.depth);
    eye = {};
  }
  if (view_space_ != XR_NULL_HANDLE) xrDestroySpace(view_space_);
  if (space_ != XR_NULL_HANDLE) xrDestroySpace(space_);
  view_space_ = space_ = XR_NULL_HANDLE;
  if (session_ != XR_NULL_HANDLE) xrDestroySession(session_);
  session_ = XR_NULL_HANDLE;
}

void HeadsetSession::choose_space() {
  std::uint32_t count = 0;
  CHECK_XR(xrEnumerateReferenceSpaces(session_, 0, &count, nullptr));
  std::vector<XrReferenceSpaceType> types(count);
  CHECK_XR(xrEnumerateReferenceSpaces(session_, count, &count, types.data()));
  // Stage: the floor at y = 0, as the room expects. Local (seated) otherwise.
  stage_ = std::find(types.begin(), types.end(), XR_REFERENCE_SPACE_TYPE_STAGE) != types.end();
  auto info = xr_struct<XrReferenceSpaceCreateInfo>(XR_TYPE_REFERENCE_SPACE_CREATE_INFO);
  info.referenceSpaceType = stage_ ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
  info.poseInReferenceSpace.orientation.w = 1;
  // A local space's origin is at the eyes: lower it so a seated user's head is at 1.2 m.
  if (!stage_) info.poseInReferenceSpace.position.y = -1.2f;
  CHECK_XR(xrCreateReferenceSpace(session_, &info, &space_));
  info.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
  info.poseInReferenceSpace = {{0, 0, 0, 1}, {0, 0, 0}};
  CHECK_XR(xrCreateReferenceSpace(session_, &info, &view_space_));
}

void HeadsetSession::choose_formats() {
  std::uint32_t count = 0;
  CHECK_XR(xrEnumerateSwapchainFormats(session_, 0, &count, nullptr));
  std::vector<std::int64_t> formats(count);
  CHECK_XR(xrEnumerateSwapchainFormats(session_, count, &count, formats.data()));
  // The runtime lists its preference first: take its first sRGB format, else its first
  // 8-bit UNORM one.
  for (bool srgb : {true, false}) {
    for (std::int64_t f : formats) {
      const auto format = static_cast<VkFormat>(f);
      const bool is_srgb = format == VK_FORMAT_R8G8B8A8_SRGB || format == VK_FORMAT_B8G8R8A8_SRGB;
      if (is_srgb == srgb && unorm_view_of(format) != VK_FORMAT_UNDEFINED) {
        format_ = format;
        break;
      }
    }
    if (format_ != VK_FORMAT_UNDEFINED) break;
  }
  if (format_ == VK_FORMAT_UNDEFINED) throw HeadsetUnavailable("the OpenXR runtime offers no 8-bit colour swapchain format");
  view_format_ = unorm_view_of(format_);
  depth_ = system_.depth_layers() &&
           std::find(formats.begin(), formats.end(), std::int64_t{VK_FORMAT_D32_SFLOAT}) != formats.end();
}

XrSwapchain HeadsetSession::make_swapchain(VkFormat format, XrSwapchainUsageFlags usage, std::vector<VkImage>& images,
                                           std::vector<VkImageView>& views, VkFormat view_format,
                                           VkImageAspectFlags aspect) {
  auto info = xr_struct<XrSwapchainCreateInfo>(XR_TYPE_SWAPCHAIN_CREATE_INFO);
  info.usageFlags = usage;
  info.format = format;
  info.sampleCount = 1;
  info.width = extent_.width;
  info.height = extent_.height;
  info.faceCount = info.arraySize = info.mipCount = 1;
  XrSwapchain swapchain = XR_NULL_HANDLE;
  CHECK_XR(xrCreateSwapchain(session_, &info, &swapchain));
  std::uint32_t count = 0;
  CHECK_XR(xrEnumerateSwapchainImages(swapchain, 0, &count, nullptr));
  std::vector<XrSwapchainImageVulkan2KHR> xr_images(count, xr_struct<XrSwapchainImageVulkan2KHR>(XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR));
  CHECK_XR(xrEnumerateSwapchainImages(swapchain, count, &count,
                                      reinterpret_cast<XrSwapchainImageBaseHeader*>(xr_images.data())));
  for (const auto& img : xr_images) {
    images.push_back(img.image);
    auto view = vk_struct<VkImageViewCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO);
    view.image = img.image;
    view.viewType = VK_IMAGE_VIEW_TYPE_2D;
    view.format = view_format;
    view.subresourceRange = {aspect, 0, 1, 0, 1};
    VkImageView v = VK_NULL_HANDLE;
    CHECK_VK(vkCreateImageView(gpu_.device(), &view, nullptr, &v));
    views.push_back(v);
  }
  return swapchain;
}

void HeadsetSession::make_swapchains() {
  std::uint32_t count = 0;
  CHECK_XR(xrEnumerateViewConfigurationViews(system_.instance(), system_.system(), XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                             0, &count, nullptr));
  std::vector<XrViewConfigurationView> configs(count, xr_struct<XrViewConfigurationView>(XR_TYPE_VIEW_CONFIGURATION_VIEW));
  CHECK_XR(xrEnumerateViewConfigurationViews(system_.instance(), system_.system(), XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                             count, &count, configs.data()));
  if (count != 2) throw HeadsetUnavailable("the headset does not have two views (stereo)");
  extent_ = {configs[0].recommendedImageRectWidth, configs[0].recommendedImageRectHeight};
  // Drawn through a view of another format: the images must allow that.
  const XrSwapchainUsageFlags color_usage = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT |
                                            (view_format_ != format_ ? XR_SWAPCHAIN_USAGE_MUTABLE_FORMAT_BIT : 0);
  for (auto& eye : eyes_) {
    eye.color = make_swapchain(format_, color_usage, eye.color_images, eye.color_views, view_format_, VK_IMAGE_ASPECT_COLOR_BIT);
    if (depth_) {
      eye.depth = make_swapchain(VK_FORMAT_D32_SFLOAT, XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT, eye.depth_images,
                                 eye.depth_views, VK_FORMAT_D32_SFLOAT, VK_IMAGE_ASPECT_DEPTH_BIT);
    }
  }
}

void HeadsetSession::begin() {
  auto info = xr_struct<XrSessionBeginInfo>(XR_TYPE_SESSION_BEGIN_INFO);
  info.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  CHECK_XR(xrBeginSession(session_, &info));
  running_ = true;
}

void HeadsetSession::end() {
  wait_gpu();
  CHECK_XR(xrEndSession(session_));
  running_ = false;
}

void HeadsetSession::request_exit() { CHECK_XR(xrRequestExitSession(session_)); }

XrFrameState HeadsetSession::begin_frame() {
  auto wait = xr_struct<XrFrameWaitInfo>(XR_TYPE_FRAME_WAIT_INFO);
  auto state = xr_struct<XrFrameState>(XR_TYPE_FRAME_STATE);
  CHECK_XR(xrWaitFrame(session_, &wait, &state));
  auto begin = xr_struct<XrFrameBeginInfo>(XR_TYPE_FRAME_BEGIN_INFO);
  CHECK_XR(xrBeginFrame(session_, &begin));
  return state;
}

std::optional<std::array<XrView, 2>> HeadsetSession::locate_views(XrTime time) const {
  auto info = xr_struct<XrViewLocateInfo>(XR_TYPE_VIEW_LOCATE_INFO);
  info.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  info.displayTime = time;
  info.space = space_;
  auto state = xr_struct<XrViewState>(XR_TYPE_VIEW_STATE);
  std::array<XrView, 2> views{xr_struct<XrView>(XR_TYPE_VIEW), xr_struct<XrView>(XR_TYPE_VIEW)};
  std::uint32_t count = 0;
  CHECK_XR(xrLocateViews(session_, &info, &state, 2, &count, views.data()));
  const XrViewStateFlags needed = XR_VIEW_STATE_POSITION_VALID_BIT | XR_VIEW_STATE_ORIENTATION_VALID_BIT;
  if (count != 2 || (state.viewStateFlags & needed) != needed) return std::nullopt;
  return views;
}

Pose HeadsetSession::head(XrTime time) const {
  auto location = xr_struct<XrSpaceLocation>(XR_TYPE_SPACE_LOCATION);
  CHECK_XR(xrLocateSpace(view_space_, space_, time, &location));
  return to_pose(location.pose);
}

void HeadsetSession::wait_gpu() {
  if (!submitted_) return;
  CHECK_VK(vkWaitForFences(gpu_.device(), 1, &fence_, VK_TRUE, UINT64_MAX));
  CHECK_VK(vkResetFences(gpu_.device(), 1, &fence_));
  submitted_ = false;
}

void HeadsetSession::end_frame(const XrFrameState& frame, const std::optional<std::array<XrView, 2>>& views,
                               const std::function<void(VkCommandBuffer, const render::ColorTarget&, std::uint32_t)>& draw) {
  std::array<XrCompositionLayerProjectionView, 2> projection_views{};
  std::array<XrCompositionLayerDepthInfoKHR, 2> depth_infos{};
  auto layer = xr_struct<XrCompositionLayerProjection>(XR_TYPE_COMPOSITION_LAYER_PROJECTION);
  const bool render = frame.shouldRender == XR_TRUE && views.has_value();
  if (render) {
    wait_gpu();
    std::array<std::uint32_t, 2> color_index{}, depth_index{};
    auto acquire = [](XrSwapchain chain) {
      std::uint32_t index = 0;
      auto acquire_info = xr_struct<XrSwapchainImageAcquireInfo>(XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO);
      CHECK_XR(xrAcquireSwapchainImage(chain, &acquire_info, &index));
      auto wait = xr_struct<XrSwapchainImageWaitInfo>(XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO);
      wait.timeout = XR_INFINITE_DURATION;
      CHECK_XR(xrWaitSwapchainImage(chain, &wait));
      return index;
    };
    CHECK_VK(vkResetCommandBuffer(cmd_, 0));
    auto begin = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    CHECK_VK(vkBeginCommandBuffer(cmd_, &begin));
    for (std::uint32_t e = 0; e < 2; ++e) {
      EyeChain& eye = eyes_[e];
      color_index[e] = acquire(eye.color);
      render::ColorTarget target;
      target.image = eye.color_images[color_index[e]];
      target.view = eye.color_views[color_index[e]];
      target.extent = extent_;
      // The runtime hands images over, and takes them back, as colour attachments.
      target.initial_layout = VK_IMAGE_LAYOUT_UNDEFINED;
      target.final_layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
      if (depth_) {
        depth_index[e] = acquire(eye.depth);
        target.depth_image = eye.depth_images[depth_index[e]];
        target.depth_view = eye.depth_views[depth_index[e]];
        target.depth_final_layout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
      }
      draw(cmd_, target, e);
    }
    CHECK_VK(vkEndCommandBuffer(cmd_));
    auto submit = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &cmd_;
    CHECK_VK(vkQueueSubmit(gpu_.queue(), 1, &submit, fence_));
    submitted_ = true;
    for (std::uint32_t e = 0; e < 2; ++e) {
      auto release = xr_struct<XrSwapchainImageReleaseInfo>(XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO);
      CHECK_XR(xrReleaseSwapchainImage(eyes_[e].color, &release));
      if (depth_) CHECK_XR(xrReleaseSwapchainImage(eyes_[e].depth, &release));
      auto& pv = projection_views[e];
      pv = xr_struct<XrCompositionLayerProjectionView>(XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW);
      pv.pose = (*views)[e].pose;
      pv.fov = (*views)[e].fov;
      pv.subImage.swapchain = eyes_[e].color;
      pv.subImage.imageRect = {{0, 0}, {static_cast<std::int32_t>(extent_.width), static_cast<std::int32_t>(extent_.height)}};
      if (depth_) {
        auto& d = depth_infos[e];
        d = xr_struct<XrCompositionLayerDepthInfoKHR>(XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR);
        d.subImage.swapchain = eyes_[e].depth;
        d.subImage.imageRect = pv.subImage.imageRect;
        d.minDepth = 0;
        d.maxDepth = 1;
        d.nearZ = kNear;
        d.farZ = kFar;
        pv.next = &d;
      }
    }
    layer.space = space_;
    layer.viewCount = 2;
    layer.views = projection_views.data();
  }
  const XrCompositionLayerBaseHeader* layers[] = {reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer)};
  auto end = xr_struct<XrFrameEndInfo>(XR_TYPE_FRAME_END_INFO);
  end.displayTime = frame.predictedDisplayTime;
  end.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  end.layerCount = render ? 1 : 0;
  end.layers = render ? layers : nullptr;
  CHECK_XR(xrEndFrame(session_, &end));
}

}  // namespace lodestone::xr
