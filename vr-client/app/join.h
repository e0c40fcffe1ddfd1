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

// Speakers for a sound dataset's clips (OpenAL's default device), or null: the room shows
// images, or the machine has no sound output (said once on stderr).
std::unique_ptr<client::ClipOutput> open_clip_output(const client::RoomClient& room);

}  // namespace lodestone::vr
