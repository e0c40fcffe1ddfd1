// Input: action sets and actions, suggested bindings, and the states of the controllers
// the script says the user holds (Oculus Touch unless it says otherwise; the
// khr/simple_controller bindings stand in when the client suggests none for those).
// Haptic pulses are printed.
#include "runtime.h"

#include <algorithm>
#include <cstring>

XrActionSet_T::~XrActionSet_T() {
  for (auto* action : actions) delete action;
}

namespace {

using namespace xrt;

XRAPI_ATTR XrResult XRAPI_CALL CreateActionSet(XrInstance instance, const XrActionSetCreateInfo* info, XrActionSet* out) {
  if (info->actionSetName[0] == '\0') return XR_ERROR_NAME_INVALID;
  auto* set = new XrActionSet_T;
  set->instance = instance;
  set->name = info->actionSetName;
  *out = set;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroyActionSet(XrActionSet set) {
  delete set;  // and its actions
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateAction(XrActionSet set, const XrActionCreateInfo* info, XrAction* out) {
  if (set->attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  auto* action = new XrAction_T;
  action->set = set;
  action->name = info->actionName;
  action->type = info->actionType;
  action->subactions.assign(info->subactionPaths, info->subactionPaths + info->countSubactionPaths);
  set->actions.push_back(action);
  *out = action;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroyAction(XrAction action) {
  auto& siblings = action->set->actions;
  siblings.erase(std::remove(siblings.begin(), siblings.end(), action), siblings.end());
  delete action;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL SuggestInteractionProfileBindings(XrInstance instance,
                                                                 const XrInteractionProfileSuggestedBinding* s) {
  if (s->interactionProfile == XR_NULL_PATH || s->interactionProfile > instance->paths.size()) return XR_ERROR_PATH_INVALID;
  auto& bindings = instance->bindings[instance->path_name(s->interactionProfile)];
  bindings.clear();
  for (std::uint32_t i = 0; i < s->countSuggestedBindings; ++i) {
    const auto& b = s->suggestedBindings[i];
    if (b.action->set->attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
    bindings.emplace(b.action, instance->path_name(b.binding));
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL AttachSessionActionSets(XrSession session, const XrSessionActionSetsAttachInfo* info) {
  if (!session->attached.empty()) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  for (std::uint32_t i = 0; i < info->countActionSets; ++i) {
    info->actionSets[i]->attached = true;
    session->attached.push_back(info->actionSets[i]);
  }
  session->profile = nullptr;
  bind_profile(*session, false);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL SyncActions(XrSession session, const XrActionsSyncInfo* info) {
  if (session->lost) return XR_ERROR_SESSION_LOST;
  for (std::uint32_t i = 0; i < info->countActiveActionSets; ++i) {
    if (!info->activeActionSets[i].actionSet->attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  }
  // Inputs reach only the focused application.
  return session->state == XR_SESSION_STATE_FOCUSED ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

// The bindings of `action` for the hand `subaction` (all hands for XR_NULL_PATH).
std::vector<std::string> bound(XrSession session, XrAction action, XrPath subaction) {
  std::vector<std::string> out;
  if (session->profile == nullptr || session->state != XR_SESSION_STATE_FOCUSED) return out;
  const std::string hand = subaction != XR_NULL_PATH ? session->instance->path_name(subaction) : "";
  const auto [first, last] = session->profile->equal_range(action);
  for (auto it = first; it != last; ++it) {
    if (hand.empty() || it->second.rfind(hand, 0) == 0) out.push_back(it->second);
  }
  return out;
}

float value_of(const std::string& path) {
  const auto& values = runtime().controls.values;
  // A binding to a component-less path ("…/trigger") reads its value, then its click.
  for (const std::string& p : {path, path + "/value", path + "/click"}) {
    if (const auto it = values.find(p); it != values.end()) return it->second;
  }
  // The simple controller's select is the Touch trigger.
  if (path.ends_with("/select/click")) return value_of(path.substr(0, path.size() - 13) + "/trigger/value");
  return 0;
}

XRAPI_ATTR XrResult XRAPI_CALL GetActionStateBoolean(XrSession session, const XrActionStateGetInfo* info,
                                                     XrActionStateBoolean* state) {
  if (info->action->type != XR_ACTION_TYPE_BOOLEAN_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  const auto paths = bound(session, info->action, info->subactionPath);
  state->isActive = paths.empty() ? XR_FALSE : XR_TRUE;
  state->currentState = XR_FALSE;
  for (const auto& p : paths) {
    if (value_of(p) > 0.5f) state->currentState = XR_TRUE;
  }
  state->changedSinceLastSync = XR_FALSE;
  state->lastChangeTime = 0;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetActionStateFloat(XrSession session, const XrActionStateGetInfo* info,
                                                   XrActionStateFloat* state) {
  if (info->action->type != XR_ACTION_TYPE_FLOAT_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  const auto paths = bound(session, info->action, info->subactionPath);
  state->isActive = paths.empty() ? XR_FALSE : XR_TRUE;
  state->currentState = 0;
  for (const auto& p : paths) state->currentState = std::max(state->currentState, value_of(p));
  state->changedSinceLastSync = XR_FALSE;
  state->lastChangeTime = 0;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetActionStateVector2f(XrSession session, const XrActionStateGetInfo* info,
                                                      XrActionStateVector2f* state) {
  if (info->action->type != XR_ACTION_TYPE_VECTOR2F_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  const auto paths = bound(session, info->action, info->subactionPath);
  state->isActive = paths.empty() ? XR_FALSE : XR_TRUE;
  state->currentState = {0, 0};
  const auto& sticks = runtime().controls.sticks;
  for (const auto& p : paths) {
    if (const auto it = sticks.find(p); it != sticks.end()) state->currentState = it->second;
  }
  state->changedSinceLastSync = XR_FALSE;
  state->lastChangeTime = 0;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL GetActionStatePose(XrSession session, const XrActionStateGetInfo* info,
                                                  XrActionStatePose* state) {
  if (info->action->type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  state->isActive = bound(session, info->action, info->subactionPath).empty() ? XR_FALSE : XR_TRUE;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateActionSpace(XrSession session, const XrActionSpaceCreateInfo* info, XrSpace* out) {
  if (info->action->type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  auto* space = new XrSpace_T;
  space->session = session;
  space->action = info->action;
  space->subaction = info->subactionPath;
  space->offset = info->poseInActionSpace;
  *out = space;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL ApplyHapticFeedback(XrSession session, const XrHapticActionInfo* info,
                                                   const XrHapticBaseHeader* haptic) {
  if (info->action->type != XR_ACTION_TYPE_VIBRATION_OUTPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  if (haptic->type != XR_TYPE_HAPTIC_VIBRATION) return XR_ERROR_VALIDATION_FAILURE;
  const auto* v = reinterpret_cast<const XrHapticVibration*>(haptic);
  for (const auto& p : bound(session, info->action, info->subactionPath)) {
    say("haptic pulse on " + p + " (" + std::to_string(v->amplitude) + ")");
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL StopHapticFeedback(XrSession, const XrHapticActionInfo*) { return XR_SUCCESS; }

XRAPI_ATTR XrResult XRAPI_CALL GetCurrentInteractionProfile(XrSession session, XrPath hand, XrInteractionProfileState* state) {
  (void)hand;
  state->interactionProfile = XR_NULL_PATH;
  if (session->profile == nullptr) return XR_SUCCESS;
  for (const auto& [profile, bindings] : session->instance->bindings) {
    if (&bindings == session->profile) state->interactionProfile = session->instance->intern(profile);
  }
  return XR_SUCCESS;
}

}  // namespace

namespace xrt {

void bind_profile(XrSession_T& session, bool announce) {
  if (session.attached.empty()) return;  // bound when the client attaches its actions
  const auto* before = session.profile;
  session.profile = nullptr;
  auto& all = session.instance->bindings;
  // No controllers held (hands only): nothing is bound.
  const std::string held = runtime().profile;
  for (const std::string& profile : {held, std::string(held.empty() ? "" : "/interaction_profiles/khr/simple_controller")}) {
    if (const auto it = all.find(profile); it != all.end()) {
      session.profile = &it->second;
      if (session.profile != before) say("input through " + profile);
      break;
    }
  }
  if (!announce || session.profile == before) return;
  XrEventDataBuffer buffer{};
  auto* e = reinterpret_cast<XrEventDataInteractionProfileChanged*>(&buffer);
  e->type = XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED;
  e->session = &session;
  session.instance->events.push_back(buffer);
}

PFN_xrVoidFunction lookup_actions(const char* fn) {
#define LODESTONE_XR_ENTRY(name) \
  if (std::strcmp(fn, "xr" #name) == 0) return reinterpret_cast<PFN_xrVoidFunction>(&name);
  LODESTONE_XR_ENTRY(CreateActionSet)
  LODESTONE_XR_ENTRY(DestroyActionSet)
  LODESTONE_XR_ENTRY(CreateAction)
  LODESTONE_XR_ENTRY(DestroyAction)
  LODESTONE_XR_ENTRY(SuggestInteractionProfileBindings)
  LODESTONE_XR_ENTRY(AttachSessionActionSets)
  LODESTONE_XR_ENTRY(SyncActions)
  LODESTONE_XR_ENTRY(GetActionStateBoolean)
  LODESTONE_XR_ENTRY(GetActionStateFloat)
  LODESTONE_XR_ENTRY(GetActionStateVector2f)
  LODESTONE_XR_ENTRY(GetActionStatePose)
  LODESTONE_XR_ENTRY(CreateActionSpace)
  LODESTONE_XR_ENTRY(ApplyHapticFeedback)
  LODESTONE_XR_ENTRY(StopHapticFeedback)
  LODESTONE_XR_ENTRY(GetCurrentInteractionProfile)
#undef LODESTONE_XR_ENTRY
  return nullptr;
}

}  // namespace xrt
