#pragma once
// Joining the room, the same for every backend.
#include "app/options.h"
#include "core/room_client.h"

#include <memory>

namespace lodestone::vr {

// Connects and waits for the join state (welcome, label set, first snapshot); nothing
// with `error` set when the server cannot be reached or refuses.
std::unique_ptr<client::RoomClient> join_room(const Options& options, ClientKind kind, std::string& error);

}  // namespace lodestone::vr
