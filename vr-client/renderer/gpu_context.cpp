#include "renderer/gpu_context.h"
#include "renderer/sanitizer_driver_pin.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lodestone::render {

const char* vk_result_name(VkResult result) {
  switch (result) {
#define LODESTONE_VK_NAME(r) case r: return #r;
    LODESTONE_VK_NAME(VK_SUCCESS)
    LODESTONE_VK_NAME(VK_NOT_READY)
    LODESTONE_VK_NAME(VK_TIMEOUT)
    LODESTONE_VK_NAME(VK_SUBOPTIMAL_KHR)
    LODESTONE_VK_NAME(VK_ERROR_OUT_OF_HOST_MEMORY)
    LODESTONE_VK_NAME(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    LODESTONE_VK_NAME(VK_ERROR_INITIALIZATION_FAILED)
    LODESTONE_VK_NAME(VK_ERROR_DEVICE_LOST)
    LODESTONE_VK_NAME(VK_ERROR_MEMORY_MAP_FAILED)
    LODESTONE_VK_NAME(VK_ERROR_LAYER_NOT_PRESENT)
    LODESTONE_VK_NAME(VK_ERROR_EXTENSION_NOT_PRESENT)
    LODESTONE_VK_NAME(VK_ERROR_FEATURE_NOT_PRESENT)
    LODESTONE_VK_NAME(VK_ERROR_INCOMPATIBLE_DRIVER)
    LODESTONE_VK_NAME(VK_ERROR_FORMAT_NOT_SUPPORTED)
    LODESTONE_VK_NAME(VK_ERROR_SURFACE_LOST_KHR)
    LODESTONE_VK_NAME(VK_ERROR_OUT_OF_DATE_KHR)
#undef LODESTONE_VK_NAME
    default: return "VkResult (unnamed)";
  }
}

void throw_vk_error(VkResult result, const char* call, const char* file, int line) {
  throw VulkanError(std::string(call) + " failed: " + vk_result_name(result) + " (" + std::to_string(result) +
                    ") at " + file + ":" + std::to_string(line));
}

namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool env_says_validate() {
  const char* v = std::getenv("LODESTONE_VK_VALIDATION");
  return v != nullptr && std::strcmp(v, "0") != 0 && *v != '\0';
}

bool layer_available(const char* name) {
  std::uint32_t count = 0;
  vkEnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> layers(count);
  vkEnumerateInstanceLayerProperties(&count, layers.data());
  return std::any_of(layers.begin(), layers.end(), [&](const auto& l) { return std::strcmp(l.layerName, name) == 0; });
}

struct AccessStage {
  VkAccessFlags access;
  VkPipelineStageFlags stage;
};

AccessStage access_for(VkImageLayout layout) {
  switch (layout) {
    case VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL:
      return {VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT,
              VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT};
    case VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL:
      return {VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT,
              VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT};
    case VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL: return {VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT};
    case VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL: return {VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT};
    case VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL:
      return {VK_ACCESS_SHADER_READ_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT};
    case VK_IMAGE_LAYOUT_PRESENT_SRC_KHR: return {0, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT};
    default: return {0, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT};  // UNDEFINED: whatever came before must finish
  }
}

}  // namespace

void transition(VkCommandBuffer cmd, VkImage image, VkImageAspectFlags aspect, VkImageLayout from, VkImageLayout to,
                std::uint32_t layers) {
  const AccessStage src = access_for(from), dst = access_for(to);
  auto barrier = vk_struct<VkImageMemoryBarrier>(VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER);
  barrier.srcAccessMask = src.access;
  barrier.dstAccessMask = dst.access;
  barrier.oldLayout = from;
  barrier.newLayout = to;
  barrier.srcQueueFamilyIndex = barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.image = image;
  barrier.subresourceRange = {aspect, 0, 1, 0, layers};
  const VkPipelineStageFlags dst_stage = to == VK_IMAGE_LAYOUT_PRESENT_SRC_KHR ? VkPipelineStageFlags{VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT} : dst.stage;
  vkCmdPipelineBarrier(cmd, src.stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &barrier);
}

GpuContext::GpuContext(GpuOptions options) {
  validation_ = options.validation || env_says_validate();
  external_ = options.external;
  create_instance(options);
  if (options.make_surface) surface_ = options.make_surface(instance_);
  pick_device();
  create_device();
}

GpuContext::~GpuContext() {
  if (device_ != VK_NULL_HANDLE) {
    vkDeviceWaitIdle(device_);
    vkDestroyCommandPool(device_, pool_, nullptr);
    vkDestroyDevice(device_, nullptr);
  }
  if (surface_ != VK_NULL_HANDLE) vkDestroySurfaceKHR(instance_, surface_, nullptr);
  if (messenger_ != VK_NULL_HANDLE) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy != nullptr) destroy(instance_, messenger_, nullptr);
  }
  if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
}

VKAPI_ATTR VkBool32 VKAPI_CALL GpuContext::on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                      VkDebugUtilsMessageTypeFlagsEXT,
                                                      const VkDebugUtilsMessengerCallbackDataEXT* data, void* self) {
  const char* level = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0 ? "error" : "warning";
  std::string text = std::string("validation ") + level + ": " + (data->pMessage != nullptr ? data->pMessage : "");
  std::fprintf(stderr, "%s\n", text.c_str());
  static_cast<GpuContext*>(self)->messages_.push_back(std::move(text));
  return VK_FALSE;
}

void GpuContext::create_instance(const GpuOptions& options) {
  std::vector<const char*> extensions;
  for (const auto& e : options.instance_extensions) extensions.push_back(e.c_str());
  std::vector<const char*> layers;
  auto messenger = vk_struct<VkDebugUtilsMessengerCreateInfoEXT>(VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
  if (validation_) {
    if (!layer_available(kValidationLayer)) {
      throw VulkanError(std::string("validation was asked for but ") + kValidationLayer +
                        " is not installed (Debian package vulkan-validationlayers)");
    }
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    messenger.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                            VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                            VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messenger.pfnUserCallback = &GpuContext::on_message;
    messenger.pUserData = this;
  }
  auto app = vk_struct<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
  app.pApplicationName = "lodestone-vr";
  app.pEngineName = "lodestone";
  app.apiVersion = VK_API_VERSION_1_3;
  auto info = vk_struct<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  info.pApplicationInfo = &app;
  info.enabledLayerCount = static_cast<std::uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = static_cast<std::uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (validation_) info.pNext = &messenger;  // also reports on instance creation itself
  if (external_.create_instance) {
    instance_ = external_.create_instance(info);
  } else {
    CHECK_VK(vkCreateInstance(&info, nullptr, &instance_));
  }
  pin_vulkan_drivers_for_leak_checks();
  if (validation_) {
    auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
    if (create == nullptr) throw VulkanError("vkCreateDebugUtilsMessengerEXT is missing");
    CHECK_VK(create(instance_, &messenger, nullptr, &messenger_));
  }
}

void GpuContext::pick_device() {
  std::vector<VkPhysicalDevice> devices;
  if (external_.physical_device) {
    devices.push_back(external_.physical_device(instance_));
  } else {
    std::uint32_t count = 0;
    CHECK_VK(vkEnumeratePhysicalDevices(instance_, &count, nullptr));
    devices.resize(count);
    CHECK_VK(vkEnumeratePhysicalDevices(instance_, &count, devices.data()));
  }
  const char* wanted = std::getenv("LODESTONE_VK_DEVICE");  // a substring of the device name
  int best_score = -1;
  for (VkPhysicalDevice d : devices) {
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(d, &props);
    if (props.apiVersion < VK_API_VERSION_1_3) continue;  // dynamic rendering is core in 1.3
    if (wanted != nullptr && std::strstr(props.deviceName, wanted) == nullptr) continue;
    std::uint32_t families = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(d, &families, nullptr);
    std::vector<VkQueueFamilyProperties> fams(families);
    vkGetPhysicalDeviceQueueFamilyProperties(d, &families, fams.data());
    for (std::uint32_t f = 0; f < families; ++f) {
      if ((fams[f].queueFlags & VK_QUEUE_GRAPHICS_BIT) == 0) continue;
      if (surface_ != VK_NULL_HANDLE) {
        VkBool32 present = VK_FALSE;
        CHECK_VK(vkGetPhysicalDeviceSurfaceSupportKHR(d, f, surface_, &present));
        if (present == VK_FALSE) continue;
      }
      const int score = props.deviceType == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU     ? 3
                        : props.deviceType == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU ? 2
                                                                                     : 1;
      if (score > best_score) {
        best_score = score;
        physical_ = d;
        queue_family_ = f;
        device_name_ = props.deviceName;
      }
      break;
    }
  }
  if (physical_ == VK_NULL_HANDLE) {
    throw VulkanError("no Vulkan 1.3 device with a graphics queue" +
                      std::string(surface_ != VK_NULL_HANDLE ? " that can present to the window" : "") +
                      (wanted != nullptr ? std::string(" named like '") + wanted + "'" : std::string()) +
                      " (on a machine without a GPU, install mesa-vulkan-drivers for lavapipe)");
  }
}

void GpuContext::create_device() {
  const float priority = 1.0f;
  auto queue = vk_struct<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue.queueFamilyIndex = queue_family_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  auto v13 = vk_struct<VkPhysicalDeviceVulkan13Features>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);
  v13.dynamicRendering = VK_TRUE;
  std::vector<const char*> extensions;
  if (surface_ != VK_NULL_HANDLE) extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  VkPhysicalDeviceFeatures available{}, enabled{};
  vkGetPhysicalDeviceFeatures(physical_, &available);
  if (available.largePoints) {
    enabled.largePoints = VK_TRUE;
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(physical_, &props);
    max_point_size_ = std::max(1.0f, props.limits.pointSizeRange[1]);
  }
  auto info = vk_struct<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
  info.pNext = &v13;
  info.pEnabledFeatures = &enabled;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.enabledExtensionCount = static_cast<std::uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (external_.create_device) {
    device_ = external_.create_device(physical_, info);
  } else {
    CHECK_VK(vkCreateDevice(physical_, &info, nullptr, &device_));
  }
  vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
  auto pool = vk_struct<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = queue_family_;
  CHECK_VK(vkCreateCommandPool(device_, &pool, nullptr, &pool_));
}

std::uint32_t GpuContext::memory_type(std::uint32_t bits, VkMemoryPropertyFlags flags) const {
  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(physical_, &props);
  for (std::uint32_t i = 0; i < props.memoryTypeCount; ++i) {
    if ((bits & (1u << i)) != 0 && (props.memoryTypes[i].propertyFlags & flags) == flags) return i;
  }
  throw VulkanError("no Vulkan memory type with the properties asked for");
}

GpuBuffer GpuContext::create_buffer(VkDeviceSize size, VkBufferUsageFlags usage) const {
  GpuBuffer b;
  b.size = size;
  auto info = vk_struct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  CHECK_VK(vkCreateBuffer(device_, &info, nullptr, &b.buffer));
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device_, b.buffer, &req);
  auto alloc = vk_struct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex =
      memory_type(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
  CHECK_VK(vkAllocateMemory(device_, &alloc, nullptr, &b.memory));
  CHECK_VK(vkBindBufferMemory(device_, b.buffer, b.memory, 0));
  CHECK_VK(vkMapMemory(device_, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped));
  return b;
}

void GpuContext::destroy(GpuBuffer& b) const {
  if (b.buffer != VK_NULL_HANDLE) vkDestroyBuffer(device_, b.buffer, nullptr);
  if (b.memory != VK_NULL_HANDLE) vkFreeMemory(device_, b.memory, nullptr);
  b = {};
}

GpuImage GpuContext::create_image(const VkImageCreateInfo& info, VkImageViewType view_type, VkImageAspectFlags aspect,
                                  VkComponentMapping swizzle) const {
  GpuImage img;
  CHECK_VK(vkCreateImage(device_, &info, nullptr, &img.image));
  VkMemoryRequirements req;
  vkGetImageMemoryRequirements(device_, img.image, &req);
  auto alloc = vk_struct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = memory_type(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  CHECK_VK(vkAllocateMemory(device_, &alloc, nullptr, &img.memory));
  CHECK_VK(vkBindImageMemory(device_, img.image, img.memory, 0));
  auto view = vk_struct<VkImageViewCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO);
  view.image = img.image;
  view.viewType = view_type;
  view.format = info.format;
  view.components = swizzle;
  view.subresourceRange = {aspect, 0, 1, 0, info.arrayLayers};
  CHECK_VK(vkCreateImageView(device_, &view, nullptr, &img.view));
  return img;
}

void GpuContext::destroy(GpuImage& img) const {
  if (img.view != VK_NULL_HANDLE) vkDestroyImageView(device_, img.view, nullptr);
  if (img.image != VK_NULL_HANDLE) vkDestroyImage(device_, img.image, nullptr);
  if (img.memory != VK_NULL_HANDLE) vkFreeMemory(device_, img.memory, nullptr);
  img = {};
}

void GpuContext::run_once(const std::function<void(VkCommandBuffer)>& record) const {
  auto alloc = vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
  alloc.commandPool = pool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  VkCommandBuffer cmd;
  CHECK_VK(vkAllocateCommandBuffers(device_, &alloc, &cmd));
  auto begin = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  CHECK_VK(vkBeginCommandBuffer(cmd, &begin));
  record(cmd);
  CHECK_VK(vkEndCommandBuffer(cmd));
  auto submit = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  CHECK_VK(vkQueueSubmit(queue_, 1, &submit, VK_NULL_HANDLE));
  CHECK_VK(vkQueueWaitIdle(queue_));
  vkFreeCommandBuffers(device_, pool_, 1, &cmd);
}

}  // namespace lodestone::render
