#pragma once
// Vulkan failures name the call that failed and where: CHECK_VK(vkCreateDevice(...))
// throws VulkanError("vkCreateDevice(...) failed: VK_ERROR_... at file:line"). The
// backend catches once and ends cleanly.
#include <vulkan/vulkan.h>

#include <stdexcept>
#include <string>

namespace lodestone::render {

class VulkanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* vk_result_name(VkResult result);

[[noreturn]] void throw_vk_error(VkResult result, const char* call, const char* file, int line);

// A zeroed Vulkan struct with its sType set.
template <class T>
T vk_struct(VkStructureType type) {
  T value{};
  value.sType = type;
  return value;
}

}  // namespace lodestone::render

#define CHECK_VK(call)                                                                       \
  do {                                                                                       \
    const VkResult lodestone_vk_result_ = (call);                                            \
    if (lodestone_vk_result_ < 0) ::lodestone::render::throw_vk_error(lodestone_vk_result_, #call, __FILE__, __LINE__); \
  } while (false)
