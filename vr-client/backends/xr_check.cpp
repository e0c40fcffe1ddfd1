#include "backends/xr_check.h"

#include <openxr/openxr_reflection.h>

namespace lodestone::xr {

const char* xr_result_name(XrResult result) {
  switch (result) {
#define LODESTONE_XR_RESULT(name, number) \
  case name: return #name;
    XR_LIST_ENUM_XrResult(LODESTONE_XR_RESULT)
#undef LODESTONE_XR_RESULT
    default: return "XrResult (unnamed)";
  }
}

void throw_xr_error(XrResult result, const char* call, const char* file, int line) {
  throw XrCallError(result, std::string(call) + " failed: " + xr_result_name(result) + " at " + file + ":" +
                                std::to_string(line));
}

}  // namespace lodestone::xr
