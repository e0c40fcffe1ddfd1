#include "app/join.h"

namespace lodestone::vr {

std::unique_ptr<client::RoomClient> join_room(const Options& options, ClientKind kind, std::string& error) {
  auto room = std::make_unique<client::RoomClient>(
      client::ConnectOptions{options.host, options.port, options.token, options.name, kind, 0});
  if (!room->connect()) {
    error = room->error();
    return nullptr;
  }
  const bool joined = room->poll_until([&] { return room->scene().has_keyframe && room->scene().dataset; }, 15000);
  // The label set comes with the join state; a dataset without classes has none to wait for.
  if (joined) room->poll_until([&] { return !room->scene().label_set.classes.empty(); }, 500);
  if (!joined) {
    error = room->refusal() ? "the server refused: " + room->refusal()->message
                            : "no room state from the server within 15 s" +
                                  (room->error().empty() ? std::string() : ": " + room->error());
    return nullptr;
  }
  return room;
}

}  // namespace lodestone::vr
