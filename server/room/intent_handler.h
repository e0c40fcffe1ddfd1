#pragma once
// Annotators' requests on the room thread: intents (spheres, labels, erasing, accepting
// predictions), inspecting one item and hearing one (room/clip_service.h cuts the clip). Intents are rate-limited here, then handed to the
// annotation writer (room/intent_writer.h) with the positions clients are shown right
// now; their outcomes come back committed, in order, and only then are they broadcast
// and acknowledged.
#include "room/room_state.h"
#include "room/sessions.h"

namespace lodestone::room {

class IntentHandler {
 public:
  IntentHandler(RoomState& room, Sessions& sessions) : room_(room), sessions_(sessions) {}

  void on_intent(Session& session, const Intent& intent);
  void on_inspect(Session& session, const InspectRequest& request);
  void on_clip(Session& session, const ClipRequest& request);
  // Sends the clips the clip service has cut.
  void deliver_clips();

  // Broadcasts and acknowledges what the writer has stored (or refused), in order.
  void deliver_outcomes();
  // Before the room thread writes annotations or classes itself: every intent received
  // earlier is stored and delivered first.
  void finish_queued();
  // Stored label changes by `user`: the room's labels follow, every client hears of
  // them, and the trainer gets what changed.
  void publish_stored_labels(UserId user, const std::vector<annotation::LabelChange>& written);

 private:
  RoomState& room_;
  Sessions& sessions_;
};

}  // namespace lodestone::room
