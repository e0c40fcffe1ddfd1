#pragma once
// Where a client's clips are heard: the speakers through OpenAL (audio/openal_output.h),
// spatialised at the cube, or nowhere (a headless script, a machine without sound).
#include "audio/clip_codec.h"
#include "lodestone/types.h"

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
};

}  // namespace lodestone::client
