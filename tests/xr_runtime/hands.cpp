// XR_EXT_hand_tracking (offered when LODESTONE_XR_HAND_TRACKING is set): one tracker per
// hand, whose 26 joints the runtime makes up from the script's palm pose and the gap
// between thumb tip and index tip (`tracked` lines): every joint at the palm but the
// wrist behind it and the two tips ahead of it, `gap` apart.
#include "runtime.h"

#include <cmath>
#include <cstring>

struct XrHandTrackerEXT_T {
  XrSession_T* session = nullptr;
  XrHandEXT hand{};
};

namespace {

using namespace xrt;

XrVector3f along(const XrPosef& pose, XrVector3f local) {
  XrPosef offset = identity_pose();
  offset.position = local;
  return compose(pose, offset).position;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateHandTrackerEXT(XrSession session, const XrHandTrackerCreateInfoEXT* info,
                                                    XrHandTrackerEXT* out) {
  if (session == nullptr || !session->instance->hand_tracking) return XR_ERROR_FUNCTION_UNSUPPORTED;
  if (info->hand != XR_HAND_LEFT_EXT && info->hand != XR_HAND_RIGHT_EXT) return XR_ERROR_VALIDATION_FAILURE;
  if (info->handJointSet != XR_HAND_JOINT_SET_DEFAULT_EXT) return XR_ERROR_FEATURE_UNSUPPORTED;
  *out = new XrHandTrackerEXT_T{session, info->hand};
  say(std::string("hand tracker created for the ") + (info->hand == XR_HAND_LEFT_EXT ? "left" : "right") + " hand");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroyHandTrackerEXT(XrHandTrackerEXT tracker) {
  delete tracker;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL LocateHandJointsEXT(XrHandTrackerEXT tracker, const XrHandJointsLocateInfoEXT* info,
                                                   XrHandJointLocationsEXT* locations) {
  if (tracker->session->lost) return XR_ERROR_SESSION_LOST;
  if (info->time <= 0) return XR_ERROR_TIME_INVALID;
  if (locations->jointCount != XR_HAND_JOINT_COUNT_EXT) return XR_ERROR_VALIDATION_FAILURE;
  const auto& tracked = runtime().controls.tracked;
  const auto it = tracked.find(tracker->hand == XR_HAND_LEFT_EXT ? "left" : "right");
  locations->isActive = XR_FALSE;
  for (std::uint32_t j = 0; j < locations->jointCount; ++j) locations->jointLocations[j].locationFlags = 0;
  if (it == tracked.end() || tracker->session->state != XR_SESSION_STATE_FOCUSED) return XR_SUCCESS;
  bool base_valid = true;
  const XrPosef base = inverse(locate_in_stage(*info->baseSpace, base_valid));
  const XrPosef palm = compose(base, it->second.palm);
  locations->isActive = XR_TRUE;
  for (std::uint32_t j = 0; j < locations->jointCount; ++j) {
    auto& joint = locations->jointLocations[j];
    joint.pose = palm;
    joint.radius = 0.01f;
    joint.locationFlags = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT |
                          XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT;
  }
  const float half_gap = it->second.gap / 2;
  locations->jointLocations[XR_HAND_JOINT_WRIST_EXT].pose.position = along(palm, {0, 0, 0.05f});
  locations->jointLocations[XR_HAND_JOINT_INDEX_TIP_EXT].pose.position = along(palm, {half_gap, 0, -0.09f});
  locations->jointLocations[XR_HAND_JOINT_THUMB_TIP_EXT].pose.position = along(palm, {-half_gap, 0, -0.09f});
  return XR_SUCCESS;
}

}  // namespace

namespace xrt {

PFN_xrVoidFunction lookup_hands(const char* fn) {
#define LODESTONE_XR_ENTRY(name) \
  if (std::strcmp(fn, "xr" #name) == 0) return reinterpret_cast<PFN_xrVoidFunction>(&name);
  LODESTONE_XR_ENTRY(CreateHandTrackerEXT)
  LODESTONE_XR_ENTRY(DestroyHandTrackerEXT)
  LODESTONE_XR_ENTRY(LocateHandJointsEXT)
#undef LODESTONE_XR_ENTRY
  return nullptr;
}

}  // namespace xrt
