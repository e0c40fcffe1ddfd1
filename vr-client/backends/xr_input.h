#pragma once
// The controllers through OpenXR actions: one action set with suggested bindings for the
// Khronos simple controller, Oculus Touch, Valve Index and HTC Vive, read each frame into
// the interaction core's FrameInput (tracking space). Haptic pulses go back to a hand.
//
//   squeeze: draw / grab a sphere (both: two-hand resize)   trigger: pick in the menu
//   left menu: class menu        right stick: forward teleport arc, sideways snap turn
//   left stick up/down: resize (with smooth locomotion: walk)   Touch X / Index left A: undo
//   right A: erase labels        right B: delete sphere
//   Touch left Y / Index right stick click: accept the touched sphere's confident predictions
#include "backends/xr_system.h"
#include "core/interaction.h"

#include <array>
#include <string>

namespace lodestone::xr {

// What the backend does with the input beyond the interaction core.
struct ComfortInput {
  int snap_turn = 0;  // -1 left, +1 right, on the frame the stick is flicked
};

class HeadsetInput {
 public:
  // `smooth_locomotion`: the left stick walks instead of resizing.
  HeadsetInput(const HeadsetSystem& system, bool smooth_locomotion);
  ~HeadsetInput();
  HeadsetInput(const HeadsetInput&) = delete;
  HeadsetInput& operator=(const HeadsetInput&) = delete;

  // Per session: attach the action set and make the hands' pose spaces.
  void attach(XrSession session);
  void detach();

  // Syncs the actions and reads hands and buttons at `time` into `input` (the head is the
  // caller's). Unfocused, the hands keep their last pose and every button is released.
  ComfortInput read(XrSession session, XrSpace base, XrTime time, client::FrameInput& input);

  void pulse(XrSession session, bool right_hand, float amplitude);
  // Whether a controller is bound and tracked in hand 0 (left) or 1 (right), after read().
  bool controller_active(XrSession session, int hand) const;

  // The interaction profile the runtime binds the right hand through ("" for none yet).
  std::string profile(XrSession session) const;

 private:
  XrAction make(const char* name, const char* localized, XrActionType type);
  void suggest(const char* profile, const std::vector<std::pair<XrAction, std::string>>& bindings);
  XrActionStateGetInfo state_of(XrAction a, int hand) const;  // `a` on one hand
  bool boolean(XrSession s, XrAction a, int hand) const;
  float value(XrSession s, XrAction a, int hand) const;
  XrVector2f stick(XrSession s, XrAction a, int hand) const;

  const HeadsetSystem& system_;
  std::array<XrPath, 2> hands_{};  // left, right
  XrActionSet set_ = XR_NULL_HANDLE;
  XrAction grip_pose_ = XR_NULL_HANDLE, aim_pose_ = XR_NULL_HANDLE, squeeze_ = XR_NULL_HANDLE, trigger_ = XR_NULL_HANDLE,
           thumbstick_ = XR_NULL_HANDLE, menu_ = XR_NULL_HANDLE, undo_ = XR_NULL_HANDLE, erase_ = XR_NULL_HANDLE, accept_ = XR_NULL_HANDLE,
           delete_ = XR_NULL_HANDLE, haptic_ = XR_NULL_HANDLE;
  std::array<XrSpace, 2> grip_spaces_{}, aim_spaces_{};
  bool menu_was_ = false, undo_was_ = false, erase_was_ = false, delete_was_ = false, accept_was_ = false;
  bool turn_armed_ = true;
  bool smooth_locomotion_ = false;
};

}  // namespace lodestone::xr
