#include "core/script.h"

#include "core/math3d.h"

#include <cmath>

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

namespace lodestone::client {
namespace {

struct Shape {
  int numbers;      // numeric arguments expected after any hand / on-off word
  bool hand;        // takes left|right first
  bool on_off;      // takes on|off last
  bool optional_number;
  bool name;        // takes a file name
};

const std::map<std::string, Shape>& shapes() {
  static const std::map<std::string, Shape> s = {
      {"look", {6, false, false, false, false}},  {"hand", {3, true, false, false, false}},
      {"point", {3, true, false, false, false}},  {"grip", {0, true, true, false, false}},
      {"trigger", {0, true, true, false, false}}, {"resize", {1, false, false, false, false}},
      {"class", {1, false, false, false, false}}, {"menu", {0, false, false, false, false}},
      {"delete", {0, false, false, false, false}}, {"erase", {0, false, false, false, false}},
      {"undo", {0, false, false, false, false}},  {"accept", {0, false, false, false, false}},
      {"inspect", {1, false, false, false, false}}, {"predictions", {0, false, true, false, false}},
      {"uncertain", {0, false, false, false, false}},  {"teleport", {0, false, true, false, false}},
      {"wait", {1, false, false, false, false}},  {"settle", {1, false, false, true, false}},
      {"shot", {0, false, false, false, true}},   {"listen", {1, false, false, false, true}},
      {"say", {0, false, false, false, true}},    {"record", {1, false, false, false, true}},
      {"mute", {0, false, false, false, true}},   {"unmute", {0, false, false, false, true}},
  };
  return s;
}

bool to_float(const std::string& word, float& out) {
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return ec == std::errc() && end == word.data() + word.size();
}

}  // namespace

std::variant<std::vector<ScriptCommand>, ScriptError> parse_script(const std::string& text) {
  std::vector<ScriptCommand> commands;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::istringstream words(line);
    ScriptCommand c;
    c.line = number;
    if (!(words >> c.verb) || c.verb[0] == '#') continue;
    for (std::string w; words >> w;) c.words.push_back(w);
    const auto where = "line " + std::to_string(number) + " (" + c.verb + "): ";
    const auto it = shapes().find(c.verb);
    if (it == shapes().end()) return ScriptError{where + "unknown command"};
    const Shape& s = it->second;
    std::size_t next = 0;
    if (s.hand) {
      if (c.words.empty() || (c.words[0] != "left" && c.words[0] != "right")) {
        return ScriptError{where + "expected left or right"};
      }
      c.left = c.words[0] == "left";
      next = 1;
    }
    const std::size_t wanted_numbers = static_cast<std::size_t>(s.numbers);
    if (s.name && c.words.size() != wanted_numbers + 1) {
      return ScriptError{where + (wanted_numbers == 0 ? std::string("expected one file name")
                                                      : "expected " + std::to_string(wanted_numbers) +
                                                            " number(s) and a file name")};
    }
    // The last word is the on|off or the file name, when the command takes one.
    const std::size_t end = c.words.size() - ((s.on_off || s.name) && !c.words.empty() ? 1 : 0);
    for (std::size_t i = next; i < end; ++i) {
      float v = 0;
      if (!to_float(c.words[i], v)) return ScriptError{where + "'" + c.words[i] + "' is not a number"};
      c.numbers.push_back(v);
    }
    if (c.numbers.size() != wanted_numbers && !(s.optional_number && c.numbers.empty())) {
      return ScriptError{where + "expected " + std::to_string(wanted_numbers) + " numbers"};
    }
    if (s.on_off) {
      if (c.words.empty() || (c.words.back() != "on" && c.words.back() != "off")) {
        return ScriptError{where + "expected on or off"};
      }
      c.on = c.words.back() == "on";
    }
    commands.push_back(c);
  }
  return commands;
}

Quat look_rotation(Vec3 eye, Vec3 target) {
  const Vec3 d = normalize(target - eye);
  return yaw_pitch(std::atan2(-d.x, -d.z), std::asin(std::clamp(d.y, -1.0f, 1.0f)));
}

ScriptStep apply_command(const ScriptCommand& c, FrameInput& in) {
  const auto& n = c.numbers;
  HandInput& hand = c.left ? in.left : in.right;
  if (c.verb == "look") {
    in.head.position = {n[0], n[1], n[2]};
    in.head.orientation = look_rotation(in.head.position, {n[3], n[4], n[5]});
  } else if (c.verb == "hand") {
    hand.position = {n[0], n[1], n[2]};
  } else if (c.verb == "point") {
    hand.pointing = normalize(Vec3{n[0], n[1], n[2]});
  } else if (c.verb == "grip") {
    hand.grip = c.on;
  } else if (c.verb == "trigger") {
    hand.trigger = c.on;
  } else if (c.verb == "resize") {
    in.resize = n[0];
  } else if (c.verb == "class") {
    in.class_position = static_cast<int>(n[0]) - 1;
  } else if (c.verb == "menu") {
    in.toggle_menu = true;
  } else if (c.verb == "delete") {
    in.delete_sphere = true;
  } else if (c.verb == "erase") {
    in.erase_labels = true;
  } else if (c.verb == "undo") {
    in.undo = true;
  } else if (c.verb == "accept") {
    in.accept_predictions = true;
  } else if (c.verb == "inspect") {
    return {ScriptStep::Kind::Inspect, n[0], {}};
  } else if (c.verb == "listen") {
    return {ScriptStep::Kind::Listen, n[0], c.words.back()};
  } else if (c.verb == "say") {
    return {ScriptStep::Kind::Say, 0, c.words.back()};
  } else if (c.verb == "record") {
    return {ScriptStep::Kind::Record, n[0], c.words.back()};
  } else if (c.verb == "mute" || c.verb == "unmute") {
    return {c.verb == "mute" ? ScriptStep::Kind::Mute : ScriptStep::Kind::Unmute, 0, c.words.back()};
  } else if (c.verb == "predictions") {
    in.show_predictions = c.on;
  } else if (c.verb == "uncertain") {
    return {ScriptStep::Kind::Uncertain, 0, {}};
  } else if (c.verb == "teleport") {
    in.teleport_aim = c.on;
  } else if (c.verb == "wait") {
    return {ScriptStep::Kind::Wait, n[0], {}};
  } else if (c.verb == "settle") {
    return {ScriptStep::Kind::Settle, n.empty() ? 5.0 : n[0], {}};
  } else if (c.verb == "shot") {
    return {ScriptStep::Kind::Shot, 0, c.words[0]};
  }
  return {};
}

}  // namespace lodestone::client
