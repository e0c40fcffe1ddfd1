// The script a test gives the runtime (LODESTONE_XR_SCRIPT): what the user does, frame by
// frame. One command a line, from frame FRAME on (frames counted by xrWaitFrame):
//   FRAME head X Y Z [YAW PITCH]         head position (stage space) and heading, degrees
//   FRAME hand left|right X Y Z [DX DY DZ] a controller's grip and aim: position, pointing
//   FRAME value PATH V                    an input's value, e.g. /user/hand/right/input/trigger/value 1
//   FRAME stick left|right X Y            a thumbstick's position
//   FRAME capture NAME                    save the next submitted frame's eyes as NAME-left/right.png
//   FRAME profile touch|simple|index|vive|none  the controllers the user holds (frame 0: from the start)
//   FRAME tracked left|right X Y Z DX DY DZ GAP  a tracked hand (XR_EXT_hand_tracking): palm position,
//                                         pointing, thumb-tip to index-tip gap in metres
//   FRAME tracked left|right off          the hand is no longer tracked
//   FRAME exit | FRAME lose               stop the session | lose it
//   FRAME lose-instance                   the runtime itself goes away
// Blank lines and lines starting with # are ignored. A bad line stops the process: a test
// with a broken script must not pass by doing nothing.
#include "runtime.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace xrt {
namespace {

[[noreturn]] void fail(const std::string& why) {
  say("bad script: " + why);
  std::exit(70);
}

float number(const ScriptLine& line, std::size_t i) {
  if (i >= line.words.size()) fail("line for frame " + std::to_string(line.frame) + " (" + line.verb + ") is too short");
  try {
    return std::stof(line.words[i]);
  } catch (const std::exception&) {
    fail("'" + line.words[i] + "' is not a number");
  }
}

std::string hand_path(const ScriptLine& line) {
  if (line.words.empty() || (line.words[0] != "left" && line.words[0] != "right")) fail(line.verb + " needs left or right");
  return "/user/hand/" + line.words[0];
}

std::string profile_path(const ScriptLine& line) {
  static const std::map<std::string, std::string> kProfiles = {
      {"touch", kTouchProfile},
      {"simple", "/interaction_profiles/khr/simple_controller"},
      {"index", "/interaction_profiles/valve/index_controller"},
      {"vive", "/interaction_profiles/htc/vive_controller"}};
  const auto it = line.words.empty() ? kProfiles.end() : kProfiles.find(line.words[0]);
  if (!line.words.empty() && line.words[0] == "none") return "";  // hands free: no controllers
  if (it == kProfiles.end()) fail("profile needs touch, simple, index, vive or none");
  return it->second;
}

void apply(const ScriptLine& line) {
  auto& rt = runtime();
  auto& c = rt.controls;
  if (line.verb == "head") {
    c.head.position = {number(line, 0), number(line, 1), number(line, 2)};
    const float yaw = line.words.size() > 3 ? number(line, 3) : 0, pitch = line.words.size() > 4 ? number(line, 4) : 0;
    c.head.orientation = yaw_pitch_degrees(yaw, pitch);
  } else if (line.verb == "hand") {
    const std::string hand = hand_path(line);
    XrPosef pose = identity_pose();
    pose.position = {number(line, 1), number(line, 2), number(line, 3)};
    if (line.words.size() > 4) pose.orientation = rotation_from_forward(number(line, 4), number(line, 5), number(line, 6));
    c.poses[hand + "/input/grip/pose"] = c.poses[hand + "/input/aim/pose"] = pose;
  } else if (line.verb == "tracked") {
    const std::string side = hand_path(line).substr(11);
    if (line.words.size() == 2 && line.words[1] == "off") {
      c.tracked.erase(side);
      return;
    }
    TrackedHand& t = c.tracked[side];
    t.palm.position = {number(line, 1), number(line, 2), number(line, 3)};
    t.palm.orientation = rotation_from_forward(number(line, 4), number(line, 5), number(line, 6));
    t.gap = number(line, 7);
  } else if (line.verb == "value") {
    if (line.words.empty()) fail("value needs a path");
    c.values[line.words[0]] = number(line, 1);
  } else if (line.verb == "stick") {
    c.sticks[hand_path(line) + "/input/thumbstick"] = {number(line, 1), number(line, 2)};
  } else if (line.verb == "capture") {
    if (line.words.empty() || rt.capture_dir.empty()) fail("capture needs a name and LODESTONE_XR_CAPTURE_DIR");
    rt.pending_captures.push_back(line.words[0]);
  } else if (line.verb == "profile") {
    rt.profile = profile_path(line);
    if (rt.instance != nullptr && rt.instance->session != nullptr) bind_profile(*rt.instance->session, true);
  } else if (line.verb == "exit") {
    say("script: the user ends the session");
    stop_from_script();
  } else if (line.verb == "lose-instance") {
    say("script: the runtime goes away");
    lose_instance_from_script();
  } else if (line.verb == "lose") {
    say("script: the session is lost");
    lose_from_script();
  } else {
    fail("unknown command '" + line.verb + "'");
  }
}

}  // namespace

void load_script() {
  auto& rt = runtime();
  if (const char* dir = std::getenv("LODESTONE_XR_CAPTURE_DIR")) rt.capture_dir = dir;
  // Where a standing user is before the script says otherwise.
  rt.controls.head.position = {0, 1.6f, 0};
  const char* path = std::getenv("LODESTONE_XR_SCRIPT");
  if (path == nullptr || !rt.script.empty()) return;
  std::ifstream file(path);
  if (!file) fail(std::string("cannot read ") + path);
  std::string text;
  while (std::getline(file, text)) {
    if (text.empty() || text[0] == '#') continue;
    std::istringstream words(text);
    ScriptLine line;
    if (!(words >> line.frame >> line.verb)) fail("'" + text + "' needs a frame number and a command");
    for (std::string w; words >> w;) line.words.push_back(w);
    // Controllers held from the start are there when the client attaches its actions.
    if (line.frame == 0 && line.verb == "profile") rt.profile = profile_path(line);
    rt.script.push_back(line);
  }
}

void run_script_for_frame() {
  auto& rt = runtime();
  while (rt.next_line < rt.script.size() && rt.script[rt.next_line].frame <= rt.frame) apply(rt.script[rt.next_line++]);
}

}  // namespace xrt
