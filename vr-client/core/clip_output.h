#pragma once
// Where a client's sound is heard: the speakers through OpenAL (audio/openal_output.h),
// clips spatialised at their cube and voices at their speaker's head, or nowhere (a
// headless script, a machine without sound).
#include "audio/clip_codec.h"
#include "lodestone/types.h"

#include <span>

namespace lodestone::client {

class ClipOutput {
 public:
  virtual ~ClipOutput() = default;
  // Plays `clip` from `at` (room coordinates), ending whatever played before.
  virtual void play(const audio::MonoClip& clip, Vec3 at) = 0;
  virtual void stop() = 0;
  virtual bool playing() const = 0;
  // The playing clip follows its cube as the cloud moves.
  virtual void move_source(Vec3 at) = 0;
  // The listener is the head, in room coordinates.
  virtual void place_listener(const Pose& head) = 0;
  // 48 kHz samples of `speaker`'s voice, due now, from their head at `at`; queued behind
  // what of theirs still plays.
  virtual void play_voice(UserId speaker, std::span<const float> samples, Vec3 at) = 0;
};

}  // namespace lodestone::client
