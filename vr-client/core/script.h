#pragma once
// Scripts for the headless client: a camera and gestures, one command a line, so tests,
// the demo and the docs can drive the same interaction machine a person drives.
//
//   look X Y Z AT_X AT_Y AT_Z     the head at X Y Z looking at a point
//   hand left|right X Y Z         a hand's position (tracking space)
//   point left|right DX DY DZ     the direction a hand points
//   grip left|right on|off        trigger left|right on|off
//   resize N   class N (1-based)   menu   delete   erase   undo
//   accept                        label the selected sphere's confident predictions
//   inspect ITEM                  print what the inspect panel shows of item ITEM (0-based)
//   listen ITEM NAME.wav          touch item ITEM to hear it; write the clip the client plays
//                                 (a sound dataset's window, from the server or the cache)
//   say FILE.wav                  speak the recording into the room (push-to-talk held for
//                                 its length; later lines run meanwhile)
//   record SECONDS NAME.wav       run frames for SECONDS, writing what the client hears of
//                                 the others' voices (48 kHz) and printing how it came
//   mute NAME   unmute NAME       stop or start hearing the person called NAME
//   predictions on|off            show the model's predictions on unlabelled cubes
//   uncertain                     turn to the densest region of the model's least certain items
//   teleport on|off               aim the arc / release
//   wait SECONDS                  keep running frames
//   settle [SECONDS]              run frames until the server answered every intent (default 5 s)
//   shot NAME.png                 render and write a PNG to the output folder
// Blank lines and lines starting with # are ignored.
#include "core/interaction.h"

#include <string>
#include <variant>
#include <vector>

namespace lodestone::client {

struct ScriptCommand {
  std::string verb;
  std::vector<std::string> words;  // the arguments as written
  std::vector<float> numbers;      // the numeric arguments
  bool left = false;               // for hand commands: the left hand
  bool on = false;                 // for on|off commands
  int line = 0;
};

struct ScriptError {
  std::string message;  // names the line and what was expected
};

// Parses a whole script; the first bad line is an error.
std::variant<std::vector<ScriptCommand>, ScriptError> parse_script(const std::string& text);

// What the runner does after a command changed the input.
struct ScriptStep {
  enum class Kind { Frame, Wait, Settle, Shot, Inspect, Uncertain, Listen, Say, Record, Mute, Unmute } kind = Kind::Frame;
  double seconds = 0;  // Wait, Settle, Record; Inspect, Listen: the item
  std::string file;    // Shot, Listen, Say, Record; Mute, Unmute: the person
};

// Applies a command to the input (one-shot flags are cleared by the caller after the frame).
ScriptStep apply_command(const ScriptCommand& command, FrameInput& input);

// The orientation that looks from `eye` toward `target` (no roll).
Quat look_rotation(Vec3 eye, Vec3 target);

}  // namespace lodestone::client
