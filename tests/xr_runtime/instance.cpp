// The runtime's entry: loader negotiation, xrGetInstanceProcAddr, the instance, the one
// system (a stereo headset), paths, and XR_KHR_vulkan_enable2.
#include "runtime.h"

#include <openxr/openxr_reflection.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>

// The loader/runtime negotiation, as the OpenXR loader specification declares it (the
// distribution's headers do not ship loader_interfaces.h).
enum XrLoaderInterfaceStructs {
  XR_LOADER_INTERFACE_STRUCT_UNINTIALIZED = 0,
  XR_LOADER_INTERFACE_STRUCT_LOADER_INFO,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST,
  XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST,
};
struct XrNegotiateLoaderInfo {
  XrLoaderInterfaceStructs structType;
  std::uint32_t structVersion;
  std::size_t structSize;
  std::uint32_t minInterfaceVersion, maxInterfaceVersion;
  XrVersion minApiVersion, maxApiVersion;
};
struct XrNegotiateRuntimeRequest {
  XrLoaderInterfaceStructs structType;
  std::uint32_t structVersion;
  std::size_t structSize;
  std::uint32_t runtimeInterfaceVersion;
  XrVersion runtimeApiVersion;
  PFN_xrGetInstanceProcAddr getInstanceProcAddr;
};
constexpr std::uint32_t kLoaderInterfaceVersion = 1;

namespace xrt {

Runtime& runtime() {
  static Runtime r;
  return r;
}

void say(const std::string& line) {
  std::cout << "xr-test-runtime: " << line << std::endl;
}

XrPosef identity_pose() {
  XrPosef p{};
  p.orientation.w = 1;
  return p;
}

namespace {
XrQuaternionf mul(const XrQuaternionf& a, const XrQuaternionf& b) {
  return {a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y, a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
          a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
}
XrVector3f rotate(const XrQuaternionf& q, const XrVector3f& v) {
  const XrQuaternionf p{v.x, v.y, v.z, 0};
  const XrQuaternionf r = mul(mul(q, p), XrQuaternionf{-q.x, -q.y, -q.z, q.w});
  return {r.x, r.y, r.z};
}
}  // namespace

XrPosef compose(const XrPosef& a, const XrPosef& b) {
  const XrVector3f t = rotate(a.orientation, b.position);
  return {mul(a.orientation, b.orientation), {a.position.x + t.x, a.position.y + t.y, a.position.z + t.z}};
}

XrPosef inverse(const XrPosef& p) {
  const XrQuaternionf q{-p.orientation.x, -p.orientation.y, -p.orientation.z, p.orientation.w};
  const XrVector3f t = rotate(q, p.position);
  return {q, {-t.x, -t.y, -t.z}};
}

XrQuaternionf yaw_pitch_degrees(float yaw, float pitch) {
  const float y = yaw * 3.14159265f / 360.0f, x = pitch * 3.14159265f / 360.0f;
  return mul(XrQuaternionf{0, std::sin(y), 0, std::cos(y)}, XrQuaternionf{std::sin(x), 0, 0, std::cos(x)});
}

XrQuaternionf rotation_from_forward(float dx, float dy, float dz) {
  const float len = std::sqrt(dx * dx + dy * dy + dz * dz);
  if (len < 1e-6f) return {0, 0, 0, 1};
  dx /= len, dy /= len, dz /= len;
  const float yaw = std::atan2(-dx, -dz), pitch = std::asin(dy);
  return yaw_pitch_degrees(yaw * 180.0f / 3.14159265f, pitch * 180.0f / 3.14159265f);
}

}  // namespace xrt

XrPath XrInstance_T::intern(const std::string& path) {
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i] == path) return i + 1;
  }
  paths.push_back(path);
  return paths.size();
}

namespace {

using namespace xrt;

XrInstance_T* g_instance = nullptr;

// What this runtime offers. LODESTONE_XR_NO_VULKAN: a runtime without Vulkan support
// (it leaves out XR_KHR_vulkan_enable2); LODESTONE_XR_HAND_TRACKING: one that tracks hands.
std::vector<const char*> offered_extensions() {
  std::vector<const char*> names;
  if (std::getenv("LODESTONE_XR_NO_VULKAN") == nullptr) names.push_back(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
  names.push_back(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  if (std::getenv("LODESTONE_XR_HAND_TRACKING") != nullptr) names.push_back(XR_EXT_HAND_TRACKING_EXTENSION_NAME);
  return names;
}

XrResult copy_string(const std::string& s, std::uint32_t capacity, std::uint32_t* count, char* out) {
  *count = static_cast<std::uint32_t>(s.size() + 1);
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  std::memcpy(out, s.c_str(), s.size() + 1);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateInstanceExtensionProperties(const char* layer, std::uint32_t capacity,
                                                                    std::uint32_t* count, XrExtensionProperties* props) {
  if (layer != nullptr) return XR_ERROR_API_LAYER_NOT_PRESENT;
  const auto offered = offered_extensions();
  *count = static_cast<std::uint32_t>(offered.size());
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  for (std::uint32_t i = 0; i < *count; ++i) {
    std::strcpy(props[i].extensionName, offered[i]);
    props[i].extensionVersion = 1;
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateInstance(const XrInstanceCreateInfo* info, XrInstance* instance) {
  if (g_instance != nullptr) return XR_ERROR_LIMIT_REACHED;
  const auto offered = offered_extensions();
  auto* inst = new XrInstance_T;
  for (std::uint32_t i = 0; i < info->enabledExtensionCount; ++i) {
    const std::string name = info->enabledExtensionNames[i];
    if (std::find(offered.begin(), offered.end(), name) == offered.end()) {
      delete inst;
      return XR_ERROR_EXTENSION_NOT_PRESENT;
    }
    if (name == XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME) inst->vulkan2 = true;
    else if (name == XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME) inst->depth = true;
    else if (name == XR_EXT_HAND_TRACKING_EXTENSION_NAME) inst->hand_tracking = true;
    else {
      delete inst;
      return XR_ERROR_EXTENSION_NOT_PRESENT;
    }
  }
  load_script();
  g_instance = inst;
  runtime().instance = inst;
  *instance = inst;
  say("instance created");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroyInstance(XrInstance instance) {
  if (instance != g_instance || instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (instance->session != nullptr) return XR_ERROR_VALIDATION_FAILURE;  // the client leaked its session
  delete instance;
  g_instance = nullptr;
  runtime().instance = nullptr;
  say("instance destroyed");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetInstanceProperties(XrInstance, XrInstanceProperties* props) {
  props->runtimeVersion = XR_MAKE_VERSION(0, 1, 0);
  std::strcpy(props->runtimeName, "Lodestone test runtime");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL ResultToString(XrInstance, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE]) {
  switch (value) {
#define LODESTONE_XR_RESULT(name, number) case name: std::strcpy(buffer, #name); return XR_SUCCESS;
    XR_LIST_ENUM_XrResult(LODESTONE_XR_RESULT)
#undef LODESTONE_XR_RESULT
    default: std::snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "XR_UNKNOWN_RESULT_%d", value); return XR_SUCCESS;
  }
}

XRAPI_ATTR XrResult XRAPI_CALL StructureTypeToString(XrInstance, XrStructureType value,
                                                     char buffer[XR_MAX_STRUCTURE_NAME_SIZE]) {
  switch (value) {
#define LODESTONE_XR_TYPE(name, number) case name: std::strcpy(buffer, #name); return XR_SUCCESS;
    XR_LIST_ENUM_XrStructureType(LODESTONE_XR_TYPE)
#undef LODESTONE_XR_TYPE
    default: std::snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "XR_UNKNOWN_STRUCTURE_TYPE_%d", value); return XR_SUCCESS;
  }
}

XRAPI_ATTR XrResult XRAPI_CALL GetSystem(XrInstance, const XrSystemGetInfo* info, XrSystemId* system) {
  if (info->formFactor != XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY) return XR_ERROR_FORM_FACTOR_UNSUPPORTED;
  if (std::getenv("LODESTONE_XR_NO_HEADSET") != nullptr) return XR_ERROR_FORM_FACTOR_UNAVAILABLE;
  *system = kSystemId;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetSystemProperties(XrInstance instance, XrSystemId system, XrSystemProperties* props) {
  if (system != kSystemId) return XR_ERROR_SYSTEM_INVALID;
  for (auto* next = static_cast<XrBaseOutStructure*>(props->next); next != nullptr; next = next->next) {
    if (next->type == XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT) {
      reinterpret_cast<XrSystemHandTrackingPropertiesEXT*>(next)->supportsHandTracking =
          instance->hand_tracking ? XR_TRUE : XR_FALSE;
    }
  }
  props->systemId = kSystemId;
  props->vendorId = 0;
  std::strcpy(props->systemName, "Lodestone scripted headset");
  props->graphicsProperties = {kEyeWidth, kEyeHeight, 1};
  props->trackingProperties = {XR_TRUE, XR_TRUE};
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateViewConfigurations(XrInstance, XrSystemId, std::uint32_t capacity,
                                                           std::uint32_t* count, XrViewConfigurationType* types) {
  *count = 1;
  if (capacity == 0) return XR_SUCCESS;
  types[0] = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateViewConfigurationViews(XrInstance, XrSystemId, XrViewConfigurationType type,
                                                               std::uint32_t capacity, std::uint32_t* count,
                                                               XrViewConfigurationView* views) {
  if (type != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  *count = 2;
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < 2) return XR_ERROR_SIZE_INSUFFICIENT;
  for (std::uint32_t i = 0; i < 2; ++i) {
    views[i].recommendedImageRectWidth = kEyeWidth;
    views[i].recommendedImageRectHeight = kEyeHeight;
    views[i].maxImageRectWidth = 2 * kEyeWidth;
    views[i].maxImageRectHeight = 2 * kEyeHeight;
    views[i].recommendedSwapchainSampleCount = views[i].maxSwapchainSampleCount = 1;
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateEnvironmentBlendModes(XrInstance, XrSystemId, XrViewConfigurationType,
                                                              std::uint32_t capacity, std::uint32_t* count,
                                                              XrEnvironmentBlendMode* modes) {
  *count = 1;
  if (capacity == 0) return XR_SUCCESS;
  modes[0] = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL StringToPath(XrInstance instance, const char* path, XrPath* out) {
  if (path == nullptr || path[0] != '/') return XR_ERROR_PATH_FORMAT_INVALID;
  *out = instance->intern(path);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL PathToString(XrInstance instance, XrPath path, std::uint32_t capacity,
                                            std::uint32_t* count, char* buffer) {
  if (path == XR_NULL_PATH || path > instance->paths.size()) return XR_ERROR_PATH_INVALID;
  return copy_string(instance->path_name(path), capacity, count, buffer);
}

XRAPI_ATTR XrResult XRAPI_CALL GetVulkanGraphicsRequirements2KHR(XrInstance instance, XrSystemId,
                                                                 XrGraphicsRequirementsVulkanKHR* req) {
  if (!instance->vulkan2) return XR_ERROR_FUNCTION_UNSUPPORTED;
  req->minApiVersionSupported = XR_MAKE_VERSION(1, 1, 0);
  req->maxApiVersionSupported = XR_MAKE_VERSION(1, 3, 0);
  instance->requirements_queried = true;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateVulkanInstanceKHR(XrInstance instance, const XrVulkanInstanceCreateInfoKHR* info,
                                                       VkInstance* vk_instance, VkResult* vk_result) {
  if (!instance->vulkan2 || info->systemId != kSystemId) return XR_ERROR_VALIDATION_FAILURE;
  instance->get_proc = info->pfnGetInstanceProcAddr;
  // Creates the instance the application asked for through its own loader entry point.
  auto create = reinterpret_cast<PFN_vkCreateInstance>(info->pfnGetInstanceProcAddr(VK_NULL_HANDLE, "vkCreateInstance"));
  *vk_result = create(info->vulkanCreateInfo, info->vulkanAllocator, vk_instance);
  if (*vk_result == VK_SUCCESS) instance->vk_instance = *vk_instance;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetVulkanGraphicsDevice2KHR(XrInstance instance, const XrVulkanGraphicsDeviceGetInfoKHR* info,
                                                           VkPhysicalDevice* device) {
  if (!instance->vulkan2 || info->vulkanInstance != instance->vk_instance) return XR_ERROR_VALIDATION_FAILURE;
  auto enumerate = reinterpret_cast<PFN_vkEnumeratePhysicalDevices>(
      instance->get_proc(info->vulkanInstance, "vkEnumeratePhysicalDevices"));
  auto properties = reinterpret_cast<PFN_vkGetPhysicalDeviceProperties>(
      instance->get_proc(info->vulkanInstance, "vkGetPhysicalDeviceProperties"));
  std::uint32_t count = 0;
  enumerate(info->vulkanInstance, &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  enumerate(info->vulkanInstance, &count, devices.data());
  // The "headset" is wired to the CPU rasteriser (lavapipe), or to the first device.
  *device = VK_NULL_HANDLE;
  for (VkPhysicalDevice d : devices) {
    VkPhysicalDeviceProperties props;
    properties(d, &props);
    if (*device == VK_NULL_HANDLE || props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU) *device = d;
  }
  if (*device == VK_NULL_HANDLE) return XR_ERROR_RUNTIME_FAILURE;
  instance->physical = *device;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateVulkanDeviceKHR(XrInstance instance, const XrVulkanDeviceCreateInfoKHR* info,
                                                     VkDevice* device, VkResult* vk_result) {
  if (!instance->vulkan2 || info->vulkanPhysicalDevice != instance->physical) return XR_ERROR_VALIDATION_FAILURE;
  auto create = reinterpret_cast<PFN_vkCreateDevice>(instance->get_proc(instance->vk_instance, "vkCreateDevice"));
  *vk_result = create(info->vulkanPhysicalDevice, info->vulkanCreateInfo, info->vulkanAllocator, device);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetInstanceProcAddr(XrInstance instance, const char* name, PFN_xrVoidFunction* function);

#define LODESTONE_XR_ENTRY(name) \
  if (std::strcmp(fn, "xr" #name) == 0) return reinterpret_cast<PFN_xrVoidFunction>(&name);

}  // namespace

namespace xrt {

PFN_xrVoidFunction lookup_instance(const char* fn) {
  LODESTONE_XR_ENTRY(GetInstanceProcAddr)
  LODESTONE_XR_ENTRY(EnumerateInstanceExtensionProperties)
  LODESTONE_XR_ENTRY(CreateInstance)
  LODESTONE_XR_ENTRY(DestroyInstance)
  LODESTONE_XR_ENTRY(GetInstanceProperties)
  LODESTONE_XR_ENTRY(ResultToString)
  LODESTONE_XR_ENTRY(StructureTypeToString)
  LODESTONE_XR_ENTRY(GetSystem)
  LODESTONE_XR_ENTRY(GetSystemProperties)
  LODESTONE_XR_ENTRY(EnumerateViewConfigurations)
  LODESTONE_XR_ENTRY(EnumerateViewConfigurationViews)
  LODESTONE_XR_ENTRY(EnumerateEnvironmentBlendModes)
  LODESTONE_XR_ENTRY(StringToPath)
  LODESTONE_XR_ENTRY(PathToString)
  LODESTONE_XR_ENTRY(GetVulkanGraphicsRequirements2KHR)
  LODESTONE_XR_ENTRY(CreateVulkanInstanceKHR)
  LODESTONE_XR_ENTRY(GetVulkanGraphicsDevice2KHR)
  LODESTONE_XR_ENTRY(CreateVulkanDeviceKHR)
  return nullptr;
}

}  // namespace xrt

namespace {

XRAPI_ATTR XrResult XRAPI_CALL GetInstanceProcAddr(XrInstance instance, const char* name, PFN_xrVoidFunction* function) {
  *function = nullptr;
  if (name == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  for (auto lookup : {&lookup_instance, &lookup_session, &lookup_swapchain, &lookup_actions, &lookup_hands}) {
    if ((*function = lookup(name)) != nullptr) break;
  }
  if (*function == nullptr) return XR_ERROR_FUNCTION_UNSUPPORTED;
  // Without an instance only the functions that create one are reachable.
  const bool global = std::strcmp(name, "xrEnumerateInstanceExtensionProperties") == 0 ||
                      std::strcmp(name, "xrCreateInstance") == 0 || std::strcmp(name, "xrGetInstanceProcAddr") == 0 ||
                      std::strcmp(name, "xrEnumerateApiLayerProperties") == 0;
  if (instance == XR_NULL_HANDLE && !global) {
    *function = nullptr;
    return XR_ERROR_HANDLE_INVALID;
  }
  return XR_SUCCESS;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) XrResult xrNegotiateLoaderRuntimeInterface(
    const XrNegotiateLoaderInfo* loader, XrNegotiateRuntimeRequest* request) {
  if (loader == nullptr || request == nullptr || loader->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
      request->structType != XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST ||
      loader->minInterfaceVersion > kLoaderInterfaceVersion || loader->maxInterfaceVersion < kLoaderInterfaceVersion) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  request->runtimeInterfaceVersion = kLoaderInterfaceVersion;
  request->runtimeApiVersion = XR_CURRENT_API_VERSION;
  request->getInstanceProcAddr = &GetInstanceProcAddr;
  return XR_SUCCESS;
}
