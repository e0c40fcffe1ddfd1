#pragma once
// Voice between annotators: the room relays each 20 ms Opus frame a person sends to
// everyone else in the room (headsets, desktops, bots; not consoles), naming the speaker.
// It never decodes a frame. Dropped, without harm to the others and without a word to the
// sender (voice is unreliable anyway): a frame from a role that may not speak (the
// room's voice setting), from a person a lead has muted, an empty one, or beyond 60
// frames a second from one peer (a flood; 50 is a talker's pace). Each kind of drop is
// logged once per peer.
#include "room/room_state.h"
#include "room/sessions.h"

namespace lodestone::room {

class VoiceRelay {
 public:
  VoiceRelay(RoomState& room, Sessions& sessions) : room_(room), sessions_(sessions) {}

  void on_frame(Session& session, VoiceFrame frame);

 private:
  // Logs the first drop of each kind from this session.
  void dropped(Session& session, unsigned reason_bit, const char* why);

  RoomState& room_;
  Sessions& sessions_;
};

// Whether `role` may speak under `speakers`.
bool may_speak(VoiceSpeakers speakers, Role role);

}  // namespace lodestone::room
