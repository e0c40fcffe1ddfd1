#pragma once
// A minimal OpenXR runtime for tests: one simulated headset with two controllers (Oculus
// Touch unless the script picks another interaction profile), driven by a script of head and controller poses, button states and events
// (LODESTONE_XR_SCRIPT), rendering nowhere: the images a client submits can be saved as
// PNGs (LODESTONE_XR_CAPTURE_DIR). It implements only what lodestone-vr calls, with the
// state checks the client relies on. Not thread-safe: one instance, one session.
#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

struct XrInstance_T;

namespace xrt {

constexpr std::uint32_t kEyeWidth = 640, kEyeHeight = 480;
constexpr float kIpd = 0.064f;
// Half-angle tangents: 1.0 horizontally, 0.75 vertically (square pixels at 640×480).
constexpr float kTanHorizontal = 1.0f, kTanVertical = 0.75f;
constexpr XrSystemId kSystemId = 1;
constexpr const char* kTouchProfile = "/interaction_profiles/oculus/touch_controller";

// Poses: composition, inverse, and rotation of the −z axis to a direction.
XrPosef compose(const XrPosef& a, const XrPosef& b);
XrPosef inverse(const XrPosef& p);
XrQuaternionf rotation_from_forward(float dx, float dy, float dz);
XrQuaternionf yaw_pitch_degrees(float yaw, float pitch);
XrPosef identity_pose();

// A hand the runtime tracks (XR_EXT_hand_tracking): its palm, and how far apart the
// thumb tip and index tip are (a pinch closes that gap).
struct TrackedHand {
  XrPosef palm = identity_pose();
  float gap = 0.08f;
};

// What the script says the user is doing now.
struct Controls {
  XrPosef head = identity_pose();
  std::map<std::string, XrPosef> poses;    // "/user/hand/right/input/grip/pose"
  std::map<std::string, float> values;     // "/user/hand/right/input/trigger/value"
  std::map<std::string, XrVector2f> sticks;  // "/user/hand/right/input/thumbstick"
  std::map<std::string, TrackedHand> tracked;  // "left", "right": hands tracked without controllers
};

// One script line: from frame `frame` on (counted by xrWaitFrame), do `verb`.
struct ScriptLine {
  std::uint64_t frame = 0;
  std::string verb;
  std::vector<std::string> words;
};

struct Runtime {
  Controls controls;
  std::vector<ScriptLine> script;
  std::size_t next_line = 0;
  std::uint64_t frame = 0;
  std::string capture_dir;
  std::vector<std::string> pending_captures;  // names for the next xrEndFrame
  std::string profile = kTouchProfile;         // the controllers the user holds
  XrInstance_T* instance = nullptr;
};
Runtime& runtime();
void load_script();
// Applies the lines due at the current frame; session events they cause are queued.
void run_script_for_frame();
void say(const std::string& line);  // to stdout, prefixed, flushed

}  // namespace xrt

struct XrActionSet_T;
struct XrSession_T;

struct XrInstance_T {
  std::vector<std::string> paths;  // XrPath n names paths[n - 1]
  bool vulkan2 = false, depth = false, hand_tracking = false;
  bool requirements_queried = false;
  PFN_vkGetInstanceProcAddr get_proc = nullptr;
  VkInstance vk_instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  std::deque<XrEventDataBuffer> events;
  XrSession_T* session = nullptr;
  // Suggested bindings per interaction profile: action → binding paths.
  std::map<std::string, std::multimap<XrAction, std::string>> bindings;
  XrPath intern(const std::string& path);
  const std::string& path_name(XrPath path) const { return paths[path - 1]; }
};

struct XrSession_T {
  XrInstance_T* instance = nullptr;
  XrSessionState state = XR_SESSION_STATE_UNKNOWN;  // as last reported through xrPollEvent
  XrSessionState queued = XR_SESSION_STATE_UNKNOWN;  // as it will be once the queue drains
  bool running = false, lost = false;
  bool frame_waited = false, frame_begun = false;
  std::uint64_t frames_ended = 0;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  std::uint32_t queue_family = 0;
  VkCommandPool pool = VK_NULL_HANDLE;
  std::vector<XrActionSet_T*> attached;
  const std::multimap<XrAction, std::string>* profile = nullptr;  // the bindings in use
  void queue_state(XrSessionState next);
};

struct XrSpace_T {
  XrSession_T* session = nullptr;
  XrReferenceSpaceType reference = XR_REFERENCE_SPACE_TYPE_MAX_ENUM;  // or an action space
  XrAction action = XR_NULL_HANDLE;
  XrPath subaction = XR_NULL_PATH;
  XrPosef offset{};
};

struct SwapchainImage {
  VkImage image = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
};

struct XrSwapchain_T {
  XrSession_T* session = nullptr;
  VkFormat format = VK_FORMAT_UNDEFINED;
  std::uint32_t width = 0, height = 0, layers = 1;
  bool depth = false;
  std::vector<SwapchainImage> images;
  std::uint32_t next = 0;
  std::deque<std::uint32_t> acquired;
  bool waited = false;
  std::int64_t last_released = -1;
};

struct XrAction_T;

// An action set owns its actions: destroying it destroys them (as the specification says
// of every child handle), so a client need not destroy each action itself.
struct XrActionSet_T {
  XrInstance_T* instance = nullptr;
  std::string name;
  bool attached = false;
  std::vector<XrAction_T*> actions;
  ~XrActionSet_T();
};

struct XrAction_T {
  XrActionSet_T* set = nullptr;
  std::string name;
  XrActionType type{};
  std::vector<XrPath> subactions;
};

// Entry points, by area (instance.cpp, session.cpp, swapchain.cpp, actions.cpp, hands.cpp).
namespace xrt {
PFN_xrVoidFunction lookup_instance(const char* name);
PFN_xrVoidFunction lookup_session(const char* name);
PFN_xrVoidFunction lookup_swapchain(const char* name);
PFN_xrVoidFunction lookup_actions(const char* name);
PFN_xrVoidFunction lookup_hands(const char* name);
XrPosef locate_in_stage(const XrSpace_T& space, bool& valid);
// Script verbs: the user takes the headset off (the runtime stops the session); the
// runtime loses the session (the client must destroy it and may make a new one).
void stop_from_script();
void lose_from_script();
void lose_instance_from_script();
// Binds the session's actions through the suggested bindings for the controllers held
// (the simple controller's when the client suggested none for those); `announce` queues
// XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED when that changes the binding.
void bind_profile(XrSession_T& session, bool announce);
bool capture(XrSwapchain_T& swapchain, std::uint32_t layer, const std::string& path);
}  // namespace xrt
