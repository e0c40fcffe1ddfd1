#include "room/voice_relay.h"

#include <spdlog/spdlog.h>

namespace lodestone::room {
namespace {

constexpr std::size_t kMostFramesPerSecond = 60;

}  // namespace

bool may_speak(VoiceSpeakers speakers, Role role) {
  switch (speakers) {
    case VoiceSpeakers::Nobody: return false;
    case VoiceSpeakers::Leads: return role == Role::Lead;
    case VoiceSpeakers::Annotators: return role != Role::Viewer;
    case VoiceSpeakers::Everyone: return true;
  }
  return false;
}

void VoiceRelay::dropped(Session& session, unsigned reason_bit, const char* why) {
  if (session.voice_drops_logged & reason_bit) return;
  session.voice_drops_logged |= reason_bit;
  spdlog::info("dropping {}'s voice: {}", session.identity.user_name, why);
}

void VoiceRelay::on_frame(Session& session, VoiceFrame frame) {
  const auto now = std::chrono::steady_clock::now();
  if (now - session.voice_window_start >= std::chrono::seconds(1)) {
    session.voice_window_start = now;
    session.voice_frames_in_window = 0;
  }
  if (session.kind == ClientKind::Console || session.kind == ClientKind::Monitor) {
    return dropped(session, 1u, "consoles do not speak in the room");
  }
  if (!may_speak(room_.options.voice_speakers, session.identity.role)) {
    return dropped(session, 2u, "their role may not speak in this room (--voice-speakers)");
  }
  if (room_.muted_voices.count(session.identity.user_id)) return dropped(session, 4u, "a lead has muted them");
  if (frame.opus.empty()) return dropped(session, 8u, "an empty voice frame");
  if (++session.voice_frames_in_window > kMostFramesPerSecond) {
    return dropped(session, 16u, "more than 60 voice frames in a second (a talker sends 50)");
  }
  frame.speaker = session.identity.user_id;
  const auto bytes = encode(frame);
  sessions_.for_each([&](Session& other) {
    if (&other == &session || !other.authenticated || other.kind == ClientKind::Console ||
        other.kind == ClientKind::Monitor) {
      return;
    }
    if (net::send(other.peer, kVoiceChannel, bytes)) room_.counters.bytes_sent += bytes.size();
  });
}

}  // namespace lodestone::room
