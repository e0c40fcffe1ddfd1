#pragma once
// Joining the room, the same for every backend.
#include "app/options.h"
#include "core/client_session.h"
#include "core/clip_output.h"
#include "core/room_client.h"

#include <memory>

namespace lodestone::vr {

// Connects and waits for the join state (welcome, label set, first snapshot); nothing
// with `error` set when the server cannot be reached or refuses. Thumbnails kept from an
// earlier session with this server (--cache-dir) are offered in the hello.
std::unique_ptr<client::RoomClient> join_room(const Options& options, ClientKind kind, std::string& error);

// The session keeps its thumbnails and clips under --cache-dir (nothing with --no-cache).
void use_caches(client::ClientSession& session, const Options& options);

// Speakers for the room's sound, the others' voices and a sound dataset's clips (OpenAL's
// default device), or null when the machine has no sound output (said once on stderr).
std::unique_ptr<client::ClipOutput> open_sound_output();

// Push-to-talk from the default microphone: while `held`, what it captures is said into
// the room. Without a microphone it says so once, at the first press.
class PushToTalk {
 public:
  PushToTalk();
  ~PushToTalk();
  void update(bool held, client::ClientSession& session);

 private:
  struct Capture;
  std::unique_ptr<Capture> capture_;
  bool tried_ = false, held_ = false;
};

}  // namespace lodestone::vr
