#pragma once
// Who is in the room: a client's hello (protocol version, token, role), the state a
// joining client is sent (identity, dataset, label set, spheres, labels, predictions,
// the newest keyframe, thumbnails unless it holds them), and presence relayed to the others.
#include "room/room_state.h"
#include "room/sessions.h"

namespace lodestone::room {

class JoinHandler {
 public:
  JoinHandler(RoomState& room, Sessions& sessions) : room_(room), sessions_(sessions) {}

  void on_hello(Session& session, const Hello& hello);
  void on_presence(Session& session, Presence presence);

 private:
  void send_join_state(Session& session, std::uint64_t cached_thumbnails_hash);

  RoomState& room_;
  Sessions& sessions_;
};

}  // namespace lodestone::room
