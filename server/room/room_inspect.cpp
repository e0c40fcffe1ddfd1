// Inspecting one item: what a client's inspect panel shows beside the cube it points at
// (the prediction it already has; the item's source and label history come from here).
#include "room/room_server.h"

#include <spdlog/spdlog.h>

namespace lodestone::room {

void RoomServer::on_inspect(Session& session, const InspectRequest& request) {
  ItemDetails details;
  details.request_id = request.request_id;
  details.item_index = request.item_index;
  if (request.item_index >= dataset_.item_ids.size()) {
    details.error = "item " + std::to_string(request.item_index) + " does not exist (the dataset holds " +
                    std::to_string(dataset_.item_ids.size()) + " items)";
    net::send_message(session.peer, kControlChannel, details);
    return;
  }
  details.item_id = dataset_.item_ids[request.item_index];
  // The history trails the newest acknowledgement by moments: a short wait for it, never long.
  writer_->wait_idle_for(std::chrono::milliseconds(50));
  try {
    details.source = annotation::item_source(db_, details.item_id);
    for (auto& a : annotation::item_history(db_, details.item_id, wire::kMaxHistoryEntries)) {
      details.history.push_back({a.class_id, std::move(a.annotator), std::move(a.at), annotation::origin_name(a.origin)});
    }
    details.found = true;
  } catch (const std::exception& e) {
    // A store that cannot be read costs this answer, never the room.
    spdlog::error("inspecting item {} for {} failed: {}", details.item_id, session.identity.user_name, e.what());
    details.error = "the server cannot read this item's history now: " + store::client_reason(e);
  }
  net::send_message(session.peer, kControlChannel, details);
}

}  // namespace lodestone::room
