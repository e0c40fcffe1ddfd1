#pragma once
// OpenXR for the headset backend: the headers in the order the Vulkan binding needs, and
// failures that name the call: CHECK_XR(xrCreateSession(...)) throws XrCallError with
// the call's text, the result's name and file:line. The backend catches once.
#include <vulkan/vulkan.h>
#define XR_USE_GRAPHICS_API_VULKAN
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <stdexcept>
#include <string>

namespace lodestone::xr {

class XrCallError : public std::runtime_error {
 public:
  XrCallError(XrResult result, const std::string& what) : std::runtime_error(what), result_(result) {}
  XrResult result() const { return result_; }

 private:
  XrResult result_;
};

const char* xr_result_name(XrResult result);

[[noreturn]] void throw_xr_error(XrResult result, const char* call, const char* file, int line);

// A zeroed OpenXR struct with its type set.
template <class T>
T xr_struct(XrStructureType type) {
  T value{};
  value.type = type;
  return value;
}

}  // namespace lodestone::xr

#define CHECK_XR(call)                                                                        \
  do {                                                                                        \
    const XrResult lodestone_xr_result_ = (call);                                             \
    if (XR_FAILED(lodestone_xr_result_)) ::lodestone::xr::throw_xr_error(lodestone_xr_result_, #call, __FILE__, __LINE__); \
  } while (false)

namespace lodestone::xr {

// An extension's entry point (extensions are not exported by the loader), e.g.
// xr_function<PFN_xrCreateHandTrackerEXT>(instance, "xrCreateHandTrackerEXT").
template <class Fn>
Fn xr_function(XrInstance instance, const char* name) {
  PFN_xrVoidFunction f = nullptr;
  CHECK_XR(xrGetInstanceProcAddr(instance, name, &f));
  return reinterpret_cast<Fn>(f);
}

}  // namespace lodestone::xr
