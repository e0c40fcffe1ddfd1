#include "backends/xr_system.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace lodestone::xr {
namespace {

bool runtime_missing(XrResult r) {
  return r == XR_ERROR_RUNTIME_UNAVAILABLE || r == XR_ERROR_RUNTIME_FAILURE || r == XR_ERROR_INSTANCE_LOST;
}

std::string no_runtime(XrResult r) {
  const char* manifest = std::getenv("XR_RUNTIME_JSON");
  return std::string("no OpenXR runtime is installed or it failed to load (") + xr_result_name(r) + "). " +
         (manifest != nullptr ? std::string("XR_RUNTIME_JSON names ") + manifest + "; check that the file exists. "
                              : std::string("Install and start one (e.g. Monado or SteamVR) and make it the active runtime. "));
}

std::vector<std::string> runtime_extensions() {
  std::uint32_t count = 0;
  XrResult r = xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr);
  if (runtime_missing(r)) throw HeadsetUnavailable(no_runtime(r));
  CHECK_XR(r);
  std::vector<XrExtensionProperties> props(count, xr_struct<XrExtensionProperties>(XR_TYPE_EXTENSION_PROPERTIES));
  CHECK_XR(xrEnumerateInstanceExtensionProperties(nullptr, count, &count, props.data()));
  std::vector<std::string> names;
  for (const auto& p : props) names.emplace_back(p.extensionName);
  return names;
}

}  // namespace

HeadsetSystem::HeadsetSystem() {
  const auto extensions = runtime_extensions();
  auto offered = [&](const char* name) {
    for (const auto& e : extensions) {
      if (e == name) return true;
    }
    return false;
  };
  if (!offered(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME)) {
    throw HeadsetUnavailable("the OpenXR runtime has no Vulkan support (it does not offer " +
                             std::string(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME) + "); lodestone-vr renders with Vulkan. ");
  }
  depth_layers_ = offered(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  std::vector<const char*> enabled{XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
  if (depth_layers_) enabled.push_back(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  hand_tracking_ = offered(XR_EXT_HAND_TRACKING_EXTENSION_NAME);
  if (hand_tracking_) enabled.push_back(XR_EXT_HAND_TRACKING_EXTENSION_NAME);
  auto info = xr_struct<XrInstanceCreateInfo>(XR_TYPE_INSTANCE_CREATE_INFO);
  std::strcpy(info.applicationInfo.applicationName, "lodestone-vr");
  std::strcpy(info.applicationInfo.engineName, "lodestone");
  info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
  info.enabledExtensionCount = static_cast<std::uint32_t>(enabled.size());
  info.enabledExtensionNames = enabled.data();
  const XrResult created = xrCreateInstance(&info, &instance_);
  if (runtime_missing(created)) throw HeadsetUnavailable(no_runtime(created));
  CHECK_XR(created);

  auto props = xr_struct<XrInstanceProperties>(XR_TYPE_INSTANCE_PROPERTIES);
  CHECK_XR(xrGetInstanceProperties(instance_, &props));
  auto get = xr_struct<XrSystemGetInfo>(XR_TYPE_SYSTEM_GET_INFO);
  get.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  const XrResult found = xrGetSystem(instance_, &get, &system_);
  if (found == XR_ERROR_FORM_FACTOR_UNAVAILABLE || found == XR_ERROR_FORM_FACTOR_UNSUPPORTED) {
    xrDestroyInstance(instance_);
    instance_ = XR_NULL_HANDLE;
    throw HeadsetUnavailable(std::string("no headset is connected to the OpenXR runtime ") + props.runtimeName + " (" +
                             xr_result_name(found) + "); connect and switch on the headset and try again. ");
  }
  if (XR_FAILED(found)) xrDestroyInstance(instance_);
  CHECK_XR(found);
  auto system_props = xr_struct<XrSystemProperties>(XR_TYPE_SYSTEM_PROPERTIES);
  auto hands = xr_struct<XrSystemHandTrackingPropertiesEXT>(XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT);
  if (hand_tracking_) system_props.next = &hands;
  CHECK_XR(xrGetSystemProperties(instance_, system_, &system_props));
  hand_tracking_ = hand_tracking_ && hands.supportsHandTracking == XR_TRUE;
  description_ = std::string(system_props.systemName) + " through " + props.runtimeName;
}

HeadsetSystem::~HeadsetSystem() {
  if (instance_ != XR_NULL_HANDLE) xrDestroyInstance(instance_);
}

XrPath HeadsetSystem::path(const char* text) const {
  XrPath p = XR_NULL_PATH;
  CHECK_XR(xrStringToPath(instance_, text, &p));
  return p;
}

render::GpuOptions::External HeadsetSystem::vulkan_creation() const {
  // The runtime must be asked for its Vulkan requirements before a session is made.
  auto requirements = xr_struct<XrGraphicsRequirementsVulkan2KHR>(XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR);
  CHECK_XR(xr_function<PFN_xrGetVulkanGraphicsRequirements2KHR>(instance_, "xrGetVulkanGraphicsRequirements2KHR")(
      instance_, system_, &requirements));
  if (XR_VERSION_MAJOR(requirements.minApiVersionSupported) > 1 ||
      XR_VERSION_MINOR(requirements.minApiVersionSupported) > 3) {
    throw HeadsetUnavailable("the OpenXR runtime needs a newer Vulkan than 1.3. ");
  }
  render::GpuOptions::External e;
  const XrInstance instance = instance_;
  const XrSystemId system = system_;
  e.create_instance = [instance, system](const VkInstanceCreateInfo& vk_info) {
    auto info = xr_struct<XrVulkanInstanceCreateInfoKHR>(XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR);
    info.systemId = system;
    info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
    info.vulkanCreateInfo = &vk_info;
    VkInstance vk = VK_NULL_HANDLE;
    VkResult vk_result = VK_SUCCESS;
    CHECK_XR(xr_function<PFN_xrCreateVulkanInstanceKHR>(instance, "xrCreateVulkanInstanceKHR")(instance, &info, &vk, &vk_result));
    CHECK_VK(vk_result);
    return vk;
  };
  e.physical_device = [instance, system](VkInstance vk_instance) {
    auto info = xr_struct<XrVulkanGraphicsDeviceGetInfoKHR>(XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR);
    info.systemId = system;
    info.vulkanInstance = vk_instance;
    VkPhysicalDevice physical = VK_NULL_HANDLE;
    CHECK_XR(xr_function<PFN_xrGetVulkanGraphicsDevice2KHR>(instance, "xrGetVulkanGraphicsDevice2KHR")(instance, &info, &physical));
    return physical;
  };
  e.create_device = [instance, system](VkPhysicalDevice physical, const VkDeviceCreateInfo& vk_info) {
    auto info = xr_struct<XrVulkanDeviceCreateInfoKHR>(XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR);
    info.systemId = system;
    info.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
    info.vulkanPhysicalDevice = physical;
    info.vulkanCreateInfo = &vk_info;
    VkDevice device = VK_NULL_HANDLE;
    VkResult vk_result = VK_SUCCESS;
    CHECK_XR(xr_function<PFN_xrCreateVulkanDeviceKHR>(instance, "xrCreateVulkanDeviceKHR")(instance, &info, &device, &vk_result));
    CHECK_VK(vk_result);
    return device;
  };
  return e;
}

}  // namespace lodestone::xr
