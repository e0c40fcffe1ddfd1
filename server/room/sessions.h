#pragma once
// The room's transport: the ENet host, one session per connected peer, and the ways to
// reach them (send to one, broadcast, refuse). It knows who is connected and signed in,
// not what their messages mean: that is the handlers' (room/join_handler.h,
// room/intent_handler.h, room/admin_handler.h), reached through RoomServer's dispatch.
#include "lodestone/messages.h"
#include "net/enet_link.h"
#include "room/thumbnail_queue.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace lodestone::room {

struct Session {
  ENetPeer* peer = nullptr;
  std::uint64_t serial = 0;  // names the session for replies that arrive later
  bool authenticated = false;
  bool refused = false;  // told why and on its way out: no longer holds a slot
  ClientKind kind = ClientKind::Bot;
  std::chrono::steady_clock::time_point last_activity{};  // last intent or console request
  std::chrono::steady_clock::time_point last_heard{};     // last packet of any kind
  std::chrono::steady_clock::time_point connected_at;
  std::int64_t token_id = 0;
  Welcome identity;
  std::uint64_t acked_seq = 0;           // the newest snapshot the client holds
  std::uint64_t previous_acked_seq = 0;  // the one it acknowledged before that
  std::uint64_t last_sent_seq = 0;
  ThumbnailQueue thumbnails;  // the thumbnails it still lacks, in the order they go
  std::chrono::steady_clock::time_point last_focus{};
  std::chrono::steady_clock::time_point last_presence{}, intent_window_start{};
  std::size_t intents_in_window = 0;
  std::chrono::steady_clock::time_point voice_window_start{};
  std::size_t voice_frames_in_window = 0;
  unsigned voice_drops_logged = 0;  // which kinds of dropped voice were logged (voice_relay.h)
  int strikes = 0;
};

// What one round of servicing ENet did, for the stall log.
struct PollStats {
  std::size_t events = 0;
  std::int64_t service_us = 0, longest_service_us = 0;  // inside enet_host_service
  std::int64_t longest_handler_us = 0;                  // inside the handlers
  const char* longest_handler = "none";
};

class Sessions {
 public:
  // Handles one packet; returns the name of what it handled (for the stall log).
  using Receiver = std::function<const char*(Session&, const ENetPacket&, std::uint8_t channel)>;

  // Binds the host for `max_peers` clients; false (with `error`) when the address cannot be used.
  bool listen(const std::string& address, std::uint16_t port, std::size_t max_peers, std::string& error);
  std::uint16_t port() const { return host_ ? host_->address.port : 0; }
  std::size_t signed_in() const;

  // Services ENet for up to `timeout_ms`, then drains what is there without blocking:
  // admits (or, when full, refuses) new peers, hands packets to `receive`, forgets the gone.
  PollStats poll(int timeout_ms, const Receiver& receive);

  // Tells the peer why, and lets it go; its session stays until ENet says it left.
  void refuse(Session& session, RefusalCode code, const std::string& message);
  // To every signed-in session but `except`; returns the bytes queued.
  std::size_t broadcast(const Bytes& bytes, Channel channel, const Session* except = nullptr);
  // To the signed-in sessions that take the room's state (every kind but monitors).
  std::size_t broadcast_to_viewers(const Bytes& bytes, Channel channel);
  // The session a later reply is for: null once it has gone (or never signed in).
  Session* find(std::uint64_t serial);

  // Refuses peers that sent no hello within `hello_timeout_s`, and sessions silent for
  // `idle_timeout_s` or for which `revoked` says their token was revoked.
  void check(double hello_timeout_s, double idle_timeout_s, const std::function<bool(const Session&)>& revoked);
  // Every session's goodbye (the server is shutting down), given a moment to leave.
  void say_goodbye();

  template <class F>
  void for_each(F&& f) {
    for (auto& [peer, session] : sessions_) f(session);
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [peer, session] : sessions_) f(session);
  }

 private:
  net::HostPtr host_;
  std::map<ENetPeer*, Session> sessions_;
  std::size_t max_peers_ = 0;
  std::uint64_t next_serial_ = 1;
};

}  // namespace lodestone::room
