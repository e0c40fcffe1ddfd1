#include "backends/xr_hands.h"

#include "core/math3d.h"

namespace lodestone::xr {
namespace {

Vec3 to_vec(const XrVector3f& v) { return {v.x, v.y, v.z}; }

}  // namespace

HeadsetHands::HeadsetHands(const HeadsetSystem& system, XrSession session) {
  const auto create = xr_function<PFN_xrCreateHandTrackerEXT>(system.instance(), "xrCreateHandTrackerEXT");
  destroy_ = xr_function<PFN_xrDestroyHandTrackerEXT>(system.instance(), "xrDestroyHandTrackerEXT");
  locate_ = xr_function<PFN_xrLocateHandJointsEXT>(system.instance(), "xrLocateHandJointsEXT");
  for (int h = 0; h < 2; ++h) {
    auto info = xr_struct<XrHandTrackerCreateInfoEXT>(XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT);
    info.hand = h == 0 ? XR_HAND_LEFT_EXT : XR_HAND_RIGHT_EXT;
    info.handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT;
    const XrResult r = create(session, &info, &trackers_[static_cast<std::size_t>(h)]);
    if (XR_FAILED(r)) {
      if (h == 1) destroy_(trackers_[0]);
      CHECK_XR(r);
    }
  }
}

HeadsetHands::~HeadsetHands() {
  for (auto& t : trackers_) {
    if (t != XR_NULL_HANDLE) destroy_(t);
    t = XR_NULL_HANDLE;
  }
}

std::optional<client::TrackedHand> HeadsetHands::locate(int hand, XrSpace base, XrTime time) const {
  std::array<XrHandJointLocationEXT, XR_HAND_JOINT_COUNT_EXT> joints{};
  auto info = xr_struct<XrHandJointsLocateInfoEXT>(XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT);
  info.baseSpace = base;
  info.time = time;
  auto locations = xr_struct<XrHandJointLocationsEXT>(XR_TYPE_HAND_JOINT_LOCATIONS_EXT);
  locations.jointCount = XR_HAND_JOINT_COUNT_EXT;
  locations.jointLocations = joints.data();
  CHECK_XR(locate_(trackers_[static_cast<std::size_t>(hand)], &info, &locations));
  if (locations.isActive != XR_TRUE) return std::nullopt;
  const XrSpaceLocationFlags valid = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
  for (auto j : {XR_HAND_JOINT_PALM_EXT, XR_HAND_JOINT_THUMB_TIP_EXT, XR_HAND_JOINT_INDEX_TIP_EXT}) {
    if ((joints[j].locationFlags & valid) != valid) return std::nullopt;
  }
  const auto& palm = joints[XR_HAND_JOINT_PALM_EXT].pose;
  client::TrackedHand out;
  out.palm = to_vec(palm.position);
  // The palm joint's −z runs from the wrist toward the fingers: where the hand points.
  out.pointing = forward({palm.orientation.x, palm.orientation.y, palm.orientation.z, palm.orientation.w});
  out.pinch_gap = length(to_vec(joints[XR_HAND_JOINT_THUMB_TIP_EXT].pose.position) -
                         to_vec(joints[XR_HAND_JOINT_INDEX_TIP_EXT].pose.position));
  return out;
}

}  // namespace lodestone::xr
