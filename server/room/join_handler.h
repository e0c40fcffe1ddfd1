#pragma once
// Who is in the room: a client's hello (protocol version, token, role), the state a
// joining client is sent (identity, dataset, label set, spheres, labels, predictions,
// the newest keyframe, thumbnails unless it holds them: those nearest its viewer first,
// paced by its ENet queue), and presence relayed to the others.
#include "room/room_state.h"
#include "room/sessions.h"

namespace lodestone::room {

class JoinHandler {
 public:
  JoinHandler(RoomState& room, Sessions& sessions) : room_(room), sessions_(sessions) {}

  void on_hello(Session& session, const Hello& hello);
  void on_presence(Session& session, Presence presence);
  // The client's viewer: its nearest missing thumbnails go next.
  void on_focus(Session& session, const ThumbnailFocus& focus);
  // Queues more thumbnails for every client still downloading them, as far as its ENet
  // queue has room (each turn of the room loop).
  void send_thumbnails();
  // The newest keyframe, reliably on the control channel: a joining client must not wait
  // for the next tick, nor miss it for one lost packet. Nothing before the first embedding.
  void send_keyframe(Session& session);

 private:
  void send_join_state(Session& session, std::uint64_t cached_thumbnails_hash);
  void send_thumbnails(Session& session);
  std::size_t tile_bytes() const;  // one item's thumbnail

  RoomState& room_;
  Sessions& sessions_;
};

}  // namespace lodestone::room
