// The session: its lifecycle (the runtime moves it; the client hears through xrPollEvent),
// reference and action spaces, the frame loop and the views of a scripted head.
#include "runtime.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

void XrSession_T::queue_state(XrSessionState next) {
  XrEventDataBuffer buffer{};
  auto* e = reinterpret_cast<XrEventDataSessionStateChanged*>(&buffer);
  e->type = XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED;
  e->session = this;
  e->state = next;
  e->time = 1;
  instance->events.push_back(buffer);
  queued = next;
}

namespace {

using namespace xrt;
using Clock = std::chrono::steady_clock;

const Clock::time_point g_start = Clock::now();
constexpr std::chrono::nanoseconds kFramePeriod{11'111'111};  // 90 Hz
Clock::time_point g_next_frame = Clock::now();

XrTime now() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - g_start).count() + 1; }

const char* state_name(XrSessionState s) {
  switch (s) {
    case XR_SESSION_STATE_IDLE: return "IDLE";
    case XR_SESSION_STATE_READY: return "READY";
    case XR_SESSION_STATE_SYNCHRONIZED: return "SYNCHRONIZED";
    case XR_SESSION_STATE_VISIBLE: return "VISIBLE";
    case XR_SESSION_STATE_FOCUSED: return "FOCUSED";
    case XR_SESSION_STATE_STOPPING: return "STOPPING";
    case XR_SESSION_STATE_LOSS_PENDING: return "LOSS_PENDING";
    case XR_SESSION_STATE_EXITING: return "EXITING";
    default: return "UNKNOWN";
  }
}

bool valid(XrSession s) { return s != nullptr && s->instance != nullptr && s->instance->session == s; }

XRAPI_ATTR XrResult XRAPI_CALL CreateSession(XrInstance instance, const XrSessionCreateInfo* info, XrSession* session) {
  if (instance->session != nullptr) return XR_ERROR_LIMIT_REACHED;
  if (info->systemId != kSystemId) return XR_ERROR_SYSTEM_INVALID;
  const auto* binding = static_cast<const XrGraphicsBindingVulkanKHR*>(info->next);
  if (binding == nullptr || binding->type != XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR) return XR_ERROR_GRAPHICS_DEVICE_INVALID;
  if (!instance->requirements_queried) return XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING;
  if (binding->physicalDevice != instance->physical) return XR_ERROR_GRAPHICS_DEVICE_INVALID;
  auto* s = new XrSession_T;
  s->instance = instance;
  s->device = binding->device;
  s->queue_family = binding->queueFamilyIndex;
  vkGetDeviceQueue(s->device, binding->queueFamilyIndex, binding->queueIndex, &s->queue);
  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO, nullptr,
                               VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT, s->queue_family};
  if (vkCreateCommandPool(s->device, &pool, nullptr, &s->pool) != VK_SUCCESS) {
    delete s;
    return XR_ERROR_RUNTIME_FAILURE;
  }
  instance->session = s;
  s->queue_state(XR_SESSION_STATE_IDLE);
  s->queue_state(XR_SESSION_STATE_READY);
  *session = s;
  say("session created");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroySession(XrSession session) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  vkDestroyCommandPool(session->device, session->pool, nullptr);
  // Events still queued for this session go with it.
  auto& events = session->instance->events;
  std::erase_if(events, [&](const XrEventDataBuffer& e) {
    if (e.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED) {
      return reinterpret_cast<const XrEventDataInteractionProfileChanged*>(&e)->session == session;
    }
    return e.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED &&
           reinterpret_cast<const XrEventDataSessionStateChanged*>(&e)->session == session;
  });
  session->instance->session = nullptr;
  delete session;
  say("session destroyed");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL PollEvent(XrInstance instance, XrEventDataBuffer* out) {
  if (instance->events.empty()) return XR_EVENT_UNAVAILABLE;
  *out = instance->events.front();
  instance->events.pop_front();
  if (out->type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
    auto* e = reinterpret_cast<XrEventDataSessionStateChanged*>(out);
    e->time = now();
    e->session->state = e->state;
    if (e->state == XR_SESSION_STATE_LOSS_PENDING) e->session->lost = true;
    say(std::string("state ") + state_name(e->state));
  }
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL BeginSession(XrSession session, const XrSessionBeginInfo* info) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (session->running) return XR_ERROR_SESSION_RUNNING;
  if (session->state != XR_SESSION_STATE_READY) return XR_ERROR_SESSION_NOT_READY;
  if (info->primaryViewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
    return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  }
  session->running = true;
  session->queue_state(XR_SESSION_STATE_SYNCHRONIZED);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EndSession(XrSession session) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (session->state != XR_SESSION_STATE_STOPPING) return XR_ERROR_SESSION_NOT_STOPPING;
  session->running = false;
  session->frame_waited = session->frame_begun = false;
  session->queue_state(XR_SESSION_STATE_IDLE);
  session->queue_state(XR_SESSION_STATE_EXITING);
  return XR_SUCCESS;
}

// From FOCUSED down to STOPPING, as a runtime passes through each state.
void queue_stop(XrSession session) {
  if (session->queued == XR_SESSION_STATE_FOCUSED) session->queue_state(XR_SESSION_STATE_VISIBLE);
  if (session->queued == XR_SESSION_STATE_VISIBLE) session->queue_state(XR_SESSION_STATE_SYNCHRONIZED);
  session->queue_state(XR_SESSION_STATE_STOPPING);
}

XRAPI_ATTR XrResult XRAPI_CALL RequestExitSession(XrSession session) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  queue_stop(session);
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EnumerateReferenceSpaces(XrSession session, std::uint32_t capacity, std::uint32_t* count,
                                                        XrReferenceSpaceType* types) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  const bool no_stage = std::getenv("LODESTONE_XR_NO_STAGE") != nullptr;  // a seated headset
  *count = no_stage ? 2 : 3;
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  types[0] = XR_REFERENCE_SPACE_TYPE_VIEW;
  types[1] = XR_REFERENCE_SPACE_TYPE_LOCAL;
  if (!no_stage) types[2] = XR_REFERENCE_SPACE_TYPE_STAGE;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL CreateReferenceSpace(XrSession session, const XrReferenceSpaceCreateInfo* info,
                                                    XrSpace* space) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (info->referenceSpaceType == XR_REFERENCE_SPACE_TYPE_STAGE && std::getenv("LODESTONE_XR_NO_STAGE") != nullptr) {
    return XR_ERROR_REFERENCE_SPACE_UNSUPPORTED;
  }
  auto* s = new XrSpace_T;
  s->session = session;
  s->reference = info->referenceSpaceType;
  s->offset = info->poseInReferenceSpace;
  *space = s;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL DestroySpace(XrSpace space) {
  delete space;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL LocateSpace(XrSpace space, XrSpace base, XrTime, XrSpaceLocation* location) {
  bool space_valid = true, base_valid = true;
  const XrPosef a = locate_in_stage(*space, space_valid), b = locate_in_stage(*base, base_valid);
  location->pose = compose(inverse(b), a);
  location->locationFlags = space_valid && base_valid
                                ? XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT |
                                      XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT | XR_SPACE_LOCATION_POSITION_TRACKED_BIT
                                : 0;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL WaitFrame(XrSession session, const XrFrameWaitInfo*, XrFrameState* state) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  // One frame per display period, as a headset's compositor paces its client.
  std::this_thread::sleep_until(g_next_frame);
  g_next_frame = std::max(g_next_frame + kFramePeriod, Clock::now());
  ++runtime().frame;
  run_script_for_frame();
  state->predictedDisplayPeriod = kFramePeriod.count();
  state->predictedDisplayTime = now() + kFramePeriod.count();
  state->shouldRender = session->state == XR_SESSION_STATE_VISIBLE || session->state == XR_SESSION_STATE_FOCUSED;
  session->frame_waited = true;
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL BeginFrame(XrSession session, const XrFrameBeginInfo*) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (!session->frame_waited) return XR_ERROR_CALL_ORDER_INVALID;
  const bool discarded = session->frame_begun;
  session->frame_waited = false;
  session->frame_begun = true;
  return discarded ? XR_FRAME_DISCARDED : XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL EndFrame(XrSession session, const XrFrameEndInfo* info) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (!session->frame_begun) return XR_ERROR_CALL_ORDER_INVALID;
  if (info->environmentBlendMode != XR_ENVIRONMENT_BLEND_MODE_OPAQUE) return XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED;
  session->frame_begun = false;
  auto& rt = runtime();
  for (std::uint32_t i = 0; i < info->layerCount; ++i) {
    const auto* layer = info->layers[i];
    if (layer->type != XR_TYPE_COMPOSITION_LAYER_PROJECTION) return XR_ERROR_LAYER_INVALID;
    const auto* projection = reinterpret_cast<const XrCompositionLayerProjection*>(layer);
    if (projection->viewCount != 2) return XR_ERROR_VALIDATION_FAILURE;
    bool with_depth = false;
    for (std::uint32_t v = 0; v < 2; ++v) {
      const auto& view = projection->views[v];
      if (view.subImage.swapchain->last_released < 0) return XR_ERROR_LAYER_INVALID;
      for (auto* next = static_cast<const XrBaseInStructure*>(view.next); next != nullptr; next = next->next) {
        if (next->type == XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR) with_depth = true;
      }
    }
    if (session->frames_ended == 0 || (session->frames_ended + 1) % 100 == 0) {
      say(std::string("projection layer submitted") + (with_depth ? " with depth" : " without depth"));
    }
    for (const auto& name : rt.pending_captures) {
      for (std::uint32_t v = 0; v < 2; ++v) {
        const auto& view = projection->views[v];
        const std::string path = rt.capture_dir + "/" + name + (v == 0 ? "-left.png" : "-right.png");
        if (!capture(*view.subImage.swapchain, view.subImage.imageArrayIndex, path)) return XR_ERROR_RUNTIME_FAILURE;
        const auto& o = view.pose.position;
        say("captured " + path + " eye at " + std::to_string(o.x) + " " + std::to_string(o.y) + " " + std::to_string(o.z));
      }
    }
    rt.pending_captures.clear();
  }
  ++session->frames_ended;
  // The first submitted frame makes the session visible, then focused (inputs flow).
  if (session->queued == XR_SESSION_STATE_SYNCHRONIZED && session->state == XR_SESSION_STATE_SYNCHRONIZED) {
    session->queue_state(XR_SESSION_STATE_VISIBLE);
    session->queue_state(XR_SESSION_STATE_FOCUSED);
  }
  if (session->frames_ended % 100 == 0) say(std::to_string(session->frames_ended) + " frames");
  return XR_SUCCESS;
}

XRAPI_ATTR XrResult XRAPI_CALL LocateViews(XrSession session, const XrViewLocateInfo* info, XrViewState* state,
                                           std::uint32_t capacity, std::uint32_t* count, XrView* views) {
  if (!valid(session)) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  *count = 2;
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < 2) return XR_ERROR_SIZE_INSUFFICIENT;
  if (info->displayTime <= 0) return XR_ERROR_TIME_INVALID;
  bool base_valid = true;
  const XrPosef base = inverse(locate_in_stage(*info->space, base_valid));
  const XrPosef head = runtime().controls.head;
  for (std::uint32_t v = 0; v < 2; ++v) {
    XrPosef eye = identity_pose();
    eye.position.x = (v == 0 ? -0.5f : 0.5f) * kIpd;
    views[v].pose = compose(base, compose(head, eye));
    const float h = std::atan(kTanHorizontal), vert = std::atan(kTanVertical);
    views[v].fov = {-h, h, vert, -vert};
  }
  state->viewStateFlags = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT |
                          XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
  return XR_SUCCESS;
}

}  // namespace

namespace xrt {

XrPosef locate_in_stage(const XrSpace_T& space, bool& valid_pose) {
  const auto& c = runtime().controls;
  XrPosef origin = identity_pose();
  switch (space.reference) {
    case XR_REFERENCE_SPACE_TYPE_STAGE: break;
    // LOCAL: seated origin at the stage origin, raised to standing eye height.
    case XR_REFERENCE_SPACE_TYPE_LOCAL: origin.position.y = 0; break;
    case XR_REFERENCE_SPACE_TYPE_VIEW: origin = c.head; break;
    default: {
      // An action space: the pose its action is bound to for its hand.
      const auto* instance = space.session->instance;
      const auto* profile = space.session->profile;
      valid_pose = false;
      if (profile == nullptr) break;
      const std::string hand = space.subaction != XR_NULL_PATH ? instance->path_name(space.subaction) : "";
      const auto [first, last] = profile->equal_range(space.action);
      for (auto it = first; it != last; ++it) {
        if (!hand.empty() && it->second.rfind(hand, 0) != 0) continue;
        if (const auto p = c.poses.find(it->second); p != c.poses.end()) {
          origin = p->second;
          valid_pose = true;
          break;
        }
      }
    }
  }
  return compose(origin, space.offset);
}

PFN_xrVoidFunction lookup_session(const char* fn) {
#define LODESTONE_XR_ENTRY(name) \
  if (std::strcmp(fn, "xr" #name) == 0) return reinterpret_cast<PFN_xrVoidFunction>(&name);
  LODESTONE_XR_ENTRY(CreateSession)
  LODESTONE_XR_ENTRY(DestroySession)
  LODESTONE_XR_ENTRY(PollEvent)
  LODESTONE_XR_ENTRY(BeginSession)
  LODESTONE_XR_ENTRY(EndSession)
  LODESTONE_XR_ENTRY(RequestExitSession)
  LODESTONE_XR_ENTRY(EnumerateReferenceSpaces)
  LODESTONE_XR_ENTRY(CreateReferenceSpace)
  LODESTONE_XR_ENTRY(DestroySpace)
  LODESTONE_XR_ENTRY(LocateSpace)
  LODESTONE_XR_ENTRY(WaitFrame)
  LODESTONE_XR_ENTRY(BeginFrame)
  LODESTONE_XR_ENTRY(EndFrame)
  LODESTONE_XR_ENTRY(LocateViews)
#undef LODESTONE_XR_ENTRY
  return nullptr;
}

void stop_from_script() {
  XrInstance_T* instance = runtime().instance;
  if (instance != nullptr && instance->session != nullptr && instance->session->running) queue_stop(instance->session);
}

void lose_from_script() {
  XrInstance_T* instance = runtime().instance;
  if (instance != nullptr && instance->session != nullptr) instance->session->queue_state(XR_SESSION_STATE_LOSS_PENDING);
}

void lose_instance_from_script() {
  XrInstance_T* instance = runtime().instance;
  if (instance == nullptr) return;
  XrEventDataBuffer buffer{};
  auto* e = reinterpret_cast<XrEventDataInstanceLossPending*>(&buffer);
  e->type = XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING;
  e->lossTime = now();
  instance->events.push_back(buffer);
}

}  // namespace xrt
