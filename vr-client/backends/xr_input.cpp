#include "backends/xr_input.h"

#include "core/math3d.h"

#include <cmath>
#include <cstring>

namespace lodestone::xr {
namespace {

constexpr float kPressed = 0.5f;
constexpr float kStickDeadZone = 0.2f, kStickFlick = 0.7f, kStickRearm = 0.3f;
// Left stick fully up grows the sphere by about 50 % a second at 90 frames a second.
constexpr float kResizePerFrame = 0.05f;

Pose to_pose(const XrPosef& p) {
  return {{p.position.x, p.position.y, p.position.z},
          {p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w}};
}

}  // namespace

HeadsetInput::HeadsetInput(const HeadsetSystem& system, bool smooth_locomotion)
    : system_(system), smooth_locomotion_(smooth_locomotion) {
  hands_ = {system.path("/user/hand/left"), system.path("/user/hand/right")};
  auto info = xr_struct<XrActionSetCreateInfo>(XR_TYPE_ACTION_SET_CREATE_INFO);
  std::strcpy(info.actionSetName, "annotate");
  std::strcpy(info.localizedActionSetName, "Annotate");
  CHECK_XR(xrCreateActionSet(system.instance(), &info, &set_));
  grip_pose_ = make("grip_pose", "Hand pose", XR_ACTION_TYPE_POSE_INPUT);
  aim_pose_ = make("aim_pose", "Pointing pose", XR_ACTION_TYPE_POSE_INPUT);
  squeeze_ = make("squeeze", "Draw or grab a sphere", XR_ACTION_TYPE_FLOAT_INPUT);
  trigger_ = make("trigger", "Pick", XR_ACTION_TYPE_FLOAT_INPUT);
  thumbstick_ = make("thumbstick", "Teleport, turn, resize", XR_ACTION_TYPE_VECTOR2F_INPUT);
  menu_ = make("menu", "Class menu", XR_ACTION_TYPE_BOOLEAN_INPUT);
  undo_ = make("undo", "Undo", XR_ACTION_TYPE_BOOLEAN_INPUT);
  erase_ = make("erase", "Erase labels", XR_ACTION_TYPE_BOOLEAN_INPUT);
  delete_ = make("delete", "Delete sphere", XR_ACTION_TYPE_BOOLEAN_INPUT);
  accept_ = make("accept", "Accept the model's predictions", XR_ACTION_TYPE_BOOLEAN_INPUT);
  haptic_ = make("haptic", "Confirmation pulse", XR_ACTION_TYPE_VIBRATION_OUTPUT);

  // The same paths on both hands where each controller has them.
  auto both = [](XrAction a, const std::string& input) {
    return std::vector<std::pair<XrAction, std::string>>{{a, "/user/hand/left/" + input}, {a, "/user/hand/right/" + input}};
  };
  auto join = [](std::initializer_list<std::vector<std::pair<XrAction, std::string>>> parts) {
    std::vector<std::pair<XrAction, std::string>> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
  };
  const auto poses = join({both(grip_pose_, "input/grip/pose"), both(aim_pose_, "input/aim/pose"),
                           both(haptic_, "output/haptic")});
  // The simple controller has one button: select draws and picks.
  suggest("/interaction_profiles/khr/simple_controller",
          join({poses, both(squeeze_, "input/select/click"), {{menu_, "/user/hand/left/input/menu/click"}}}));
  suggest("/interaction_profiles/oculus/touch_controller",
          join({poses, both(squeeze_, "input/squeeze/value"), both(trigger_, "input/trigger/value"),
                both(thumbstick_, "input/thumbstick"),
                {{menu_, "/user/hand/left/input/menu/click"}, {undo_, "/user/hand/left/input/x/click"},
                 {erase_, "/user/hand/right/input/a/click"}, {delete_, "/user/hand/right/input/b/click"},
                 {accept_, "/user/hand/left/input/y/click"}}}));
  suggest("/interaction_profiles/valve/index_controller",
          join({poses, both(squeeze_, "input/squeeze/value"), both(trigger_, "input/trigger/value"),
                both(thumbstick_, "input/thumbstick"),
                {{menu_, "/user/hand/left/input/b/click"}, {undo_, "/user/hand/left/input/a/click"},
                 {erase_, "/user/hand/right/input/a/click"}, {delete_, "/user/hand/right/input/b/click"},
                 {accept_, "/user/hand/right/input/thumbstick/click"}}}));
  suggest("/interaction_profiles/htc/vive_controller",
          join({poses, both(squeeze_, "input/squeeze/click"), both(trigger_, "input/trigger/value"),
                both(thumbstick_, "input/trackpad"), both(menu_, "input/menu/click")}));
}

HeadsetInput::~HeadsetInput() {
  detach();
  if (set_ != XR_NULL_HANDLE) xrDestroyActionSet(set_);  // destroys its actions too
}

XrAction HeadsetInput::make(const char* name, const char* localized, XrActionType type) {
  auto info = xr_struct<XrActionCreateInfo>(XR_TYPE_ACTION_CREATE_INFO);
  std::strcpy(info.actionName, name);
  std::strcpy(info.localizedActionName, localized);
  info.actionType = type;
  info.countSubactionPaths = 2;
  info.subactionPaths = hands_.data();
  XrAction action = XR_NULL_HANDLE;
  CHECK_XR(xrCreateAction(set_, &info, &action));
  return action;
}

void HeadsetInput::suggest(const char* profile, const std::vector<std::pair<XrAction, std::string>>& bindings) {
  std::vector<XrActionSuggestedBinding> suggested;
  for (const auto& [action, path] : bindings) suggested.push_back({action, system_.path(path.c_str())});
  auto info = xr_struct<XrInteractionProfileSuggestedBinding>(XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING);
  info.interactionProfile = system_.path(profile);
  info.countSuggestedBindings = static_cast<std::uint32_t>(suggested.size());
  info.suggestedBindings = suggested.data();
  // A runtime that does not know a profile refuses it; the others still apply.
  const XrResult r = xrSuggestInteractionProfileBindings(system_.instance(), &info);
  if (r != XR_ERROR_PATH_UNSUPPORTED) CHECK_XR(r);
}

void HeadsetInput::attach(XrSession session) {
  auto info = xr_struct<XrSessionActionSetsAttachInfo>(XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO);
  info.countActionSets = 1;
  info.actionSets = &set_;
  CHECK_XR(xrAttachSessionActionSets(session, &info));
  for (int h = 0; h < 2; ++h) {
    auto space = xr_struct<XrActionSpaceCreateInfo>(XR_TYPE_ACTION_SPACE_CREATE_INFO);
    space.subactionPath = hands_[static_cast<std::size_t>(h)];
    space.poseInActionSpace.orientation.w = 1;
    space.action = grip_pose_;
    CHECK_XR(xrCreateActionSpace(session, &space, &grip_spaces_[static_cast<std::size_t>(h)]));
    space.action = aim_pose_;
    CHECK_XR(xrCreateActionSpace(session, &space, &aim_spaces_[static_cast<std::size_t>(h)]));
  }
}

void HeadsetInput::detach() {
  for (auto* spaces : {&grip_spaces_, &aim_spaces_}) {
    for (auto& s : *spaces) {
      if (s != XR_NULL_HANDLE) xrDestroySpace(s);
      s = XR_NULL_HANDLE;
    }
  }
}

XrActionStateGetInfo HeadsetInput::state_of(XrAction a, int hand) const {
  auto info = xr_struct<XrActionStateGetInfo>(XR_TYPE_ACTION_STATE_GET_INFO);
  info.action = a;
  info.subactionPath = hands_[static_cast<std::size_t>(hand)];
  return info;
}

bool HeadsetInput::boolean(XrSession s, XrAction a, int hand) const {
  const auto info = state_of(a, hand);
  auto state = xr_struct<XrActionStateBoolean>(XR_TYPE_ACTION_STATE_BOOLEAN);
  CHECK_XR(xrGetActionStateBoolean(s, &info, &state));
  return state.isActive == XR_TRUE && state.currentState == XR_TRUE;
}

float HeadsetInput::value(XrSession s, XrAction a, int hand) const {
  const auto info = state_of(a, hand);
  auto state = xr_struct<XrActionStateFloat>(XR_TYPE_ACTION_STATE_FLOAT);
  CHECK_XR(xrGetActionStateFloat(s, &info, &state));
  return state.isActive == XR_TRUE ? state.currentState : 0.0f;
}

XrVector2f HeadsetInput::stick(XrSession s, XrAction a, int hand) const {
  const auto info = state_of(a, hand);
  auto state = xr_struct<XrActionStateVector2f>(XR_TYPE_ACTION_STATE_VECTOR2F);
  CHECK_XR(xrGetActionStateVector2f(s, &info, &state));
  return state.isActive == XR_TRUE ? state.currentState : XrVector2f{0, 0};
}

ComfortInput HeadsetInput::read(XrSession session, XrSpace base, XrTime time, client::FrameInput& input) {
  auto active = xr_struct<XrActionsSyncInfo>(XR_TYPE_ACTIONS_SYNC_INFO);
  XrActiveActionSet active_set{set_, XR_NULL_PATH};
  active.countActiveActionSets = 1;
  active.activeActionSets = &active_set;
  const XrResult synced = xrSyncActions(session, &active);
  CHECK_XR(synced);
  ComfortInput comfort;
  for (int h = 0; h < 2; ++h) {
    client::HandInput& hand = h == 0 ? input.left : input.right;
    auto grip = xr_struct<XrSpaceLocation>(XR_TYPE_SPACE_LOCATION);
    auto aim = xr_struct<XrSpaceLocation>(XR_TYPE_SPACE_LOCATION);
    CHECK_XR(xrLocateSpace(grip_spaces_[static_cast<std::size_t>(h)], base, time, &grip));
    CHECK_XR(xrLocateSpace(aim_spaces_[static_cast<std::size_t>(h)], base, time, &aim));
    if ((grip.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT) != 0) hand.position = to_pose(grip.pose).position;
    if ((aim.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) != 0) {
      hand.pointing = forward(to_pose(aim.pose).orientation);
    }
    hand.grip = hand.trigger = false;
  }
  if (synced == XR_SESSION_NOT_FOCUSED) return comfort;  // buttons released; poses kept
  for (int h = 0; h < 2; ++h) {
    client::HandInput& hand = h == 0 ? input.left : input.right;
    hand.grip = value(session, squeeze_, h) > kPressed;
    hand.trigger = value(session, trigger_, h) > kPressed;
  }
  // One-shot actions fire on the press.
  auto pressed = [&](XrAction a, bool& was) {
    const bool now = boolean(session, a, 0) || boolean(session, a, 1);
    const bool edge = now && !was;
    was = now;
    return edge;
  };
  input.toggle_menu = pressed(menu_, menu_was_);
  input.undo = pressed(undo_, undo_was_);
  input.erase_labels = pressed(erase_, erase_was_);
  input.delete_sphere = pressed(delete_, delete_was_);
  input.accept_predictions = pressed(accept_, accept_was_);
  const XrVector2f left = stick(session, thumbstick_, 0), right = stick(session, thumbstick_, 1);
  const bool deflected = std::abs(left.x) > kStickDeadZone || std::abs(left.y) > kStickDeadZone;
  if (smooth_locomotion_) {
    input.walk_x = deflected ? left.x : 0.0f;
    input.walk_y = deflected ? left.y : 0.0f;
  } else {
    input.resize = std::abs(left.y) > kStickDeadZone ? left.y * kResizePerFrame : 0.0f;
  }
  input.teleport_aim = right.y > kStickFlick;
  if (turn_armed_ && std::abs(right.x) > kStickFlick) {
    comfort.snap_turn = right.x > 0 ? 1 : -1;
    turn_armed_ = false;
  } else if (std::abs(right.x) < kStickRearm) {
    turn_armed_ = true;
  }
  return comfort;
}

void HeadsetInput::pulse(XrSession session, bool right_hand, float amplitude) {
  auto info = xr_struct<XrHapticActionInfo>(XR_TYPE_HAPTIC_ACTION_INFO);
  info.action = haptic_;
  info.subactionPath = hands_[right_hand ? 1 : 0];
  auto vibration = xr_struct<XrHapticVibration>(XR_TYPE_HAPTIC_VIBRATION);
  vibration.amplitude = amplitude;
  vibration.duration = 60'000'000;  // 60 ms
  vibration.frequency = XR_FREQUENCY_UNSPECIFIED;
  CHECK_XR(xrApplyHapticFeedback(session, &info, reinterpret_cast<const XrHapticBaseHeader*>(&vibration)));
}

bool HeadsetInput::controller_active(XrSession session, int hand) const {
  const auto info = state_of(grip_pose_, hand);
  auto state = xr_struct<XrActionStatePose>(XR_TYPE_ACTION_STATE_POSE);
  CHECK_XR(xrGetActionStatePose(session, &info, &state));
  return state.isActive == XR_TRUE;
}

std::string HeadsetInput::profile(XrSession session) const {
  auto state = xr_struct<XrInteractionProfileState>(XR_TYPE_INTERACTION_PROFILE_STATE);
  CHECK_XR(xrGetCurrentInteractionProfile(session, hands_[1], &state));
  if (state.interactionProfile == XR_NULL_PATH) return "";
  char text[XR_MAX_PATH_LENGTH];
  std::uint32_t length = 0;
  CHECK_XR(xrPathToString(system_.instance(), state.interactionProfile, sizeof(text), &length, text));
  return text;
}

}  // namespace lodestone::xr
