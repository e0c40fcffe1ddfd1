#include "room/sessions.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kFullRoomSlots = 4;  // extra ENet slots to refuse peers beyond max_peers

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t micros_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
}

}  // namespace

bool Sessions::listen(const std::string& address, std::uint16_t port, std::size_t max_peers, std::string& error) {
  // ENet's packet-size limit applies to what we send too (thumbnail chunks, keyframes of
  // large clouds), so the host takes the protocol's largest; the dispatch holds clients
  // to a much smaller size. A few slots beyond max_peers let the room tell the next
  // peers that it is full instead of leaving their connect to time out.
  max_peers_ = max_peers;
  host_ = net::create_server_host(address, port, max_peers + kFullRoomSlots, kMaxPacketBytes, error);
  return host_ != nullptr;
}

std::size_t Sessions::signed_in() const {
  return static_cast<std::size_t>(
      std::count_if(sessions_.begin(), sessions_.end(), [](const auto& entry) { return entry.second.authenticated; }));
}

PollStats Sessions::poll(int timeout_ms, const Receiver& receive) {
  PollStats stats;
  ENetEvent event;
  int wait = timeout_ms;
  for (;;) {
    const auto servicing = Clock::now();
    const int serviced = enet_host_service(host_.get(), &event, static_cast<enet_uint32>(wait));
    const auto serviced_us = micros_since(servicing);
    stats.service_us += serviced_us;
    stats.longest_service_us = std::max(stats.longest_service_us, serviced_us);
    if (serviced <= 0) break;
    ++stats.events;
    wait = 0;  // drain what is there, never block again this round
    const auto handling = Clock::now();
    const char* handled = "connect or disconnect";
    switch (event.type) {
      case ENET_EVENT_TYPE_CONNECT: {
        Session s;
        s.peer = event.peer;
        s.serial = next_serial_++;
        s.connected_at = Clock::now();
        s.last_activity = s.connected_at;
        s.last_heard = s.connected_at;
        const auto staying = std::count_if(sessions_.begin(), sessions_.end(),
                                           [](const auto& entry) { return !entry.second.refused; });
        const bool full = static_cast<std::size_t>(staying) >= max_peers_;
        auto& session = sessions_[event.peer] = s;
        spdlog::debug("peer {} connected", net::peer_address(event.peer));
        if (full) {
          refuse(session, RefusalCode::ServerFull,
                 "the room is full (" + std::to_string(max_peers_) + " clients); try again later");
        }
        break;
      }
      case ENET_EVENT_TYPE_RECEIVE: {
        if (auto it = sessions_.find(event.peer); it != sessions_.end()) {
          handled = receive(it->second, *event.packet, event.channelID);
        }
        enet_packet_destroy(event.packet);
        break;
      }
      case ENET_EVENT_TYPE_DISCONNECT: {
        if (auto it = sessions_.find(event.peer); it != sessions_.end()) {
          if (it->second.authenticated) spdlog::info("{} left", it->second.identity.user_name);
          sessions_.erase(it);
        }
        break;
      }
      case ENET_EVENT_TYPE_NONE: break;
    }
    if (const auto handled_us = micros_since(handling); handled_us > stats.longest_handler_us) {
      stats.longest_handler_us = handled_us;
      stats.longest_handler = handled;
    }
  }
  return stats;
}

void Sessions::refuse(Session& session, RefusalCode code, const std::string& message) {
  spdlog::warn("refusing {} ({}): {}", net::peer_address(session.peer),
               session.authenticated ? session.identity.user_name : "not signed in", message);
  net::send_message(session.peer, kControlChannel, Refusal{code, message});
  enet_peer_disconnect_later(session.peer, 0);
  session.authenticated = false;
  session.refused = true;
}

std::size_t Sessions::broadcast(const Bytes& bytes, Channel channel, const Session* except) {
  std::size_t sent = 0;
  for (auto& [peer, session] : sessions_) {
    if (session.authenticated && &session != except && net::send(peer, channel, bytes)) sent += bytes.size();
  }
  return sent;
}

std::size_t Sessions::broadcast_to_viewers(const Bytes& bytes, Channel channel) {
  std::size_t sent = 0;
  for (auto& [peer, session] : sessions_) {
    if (session.authenticated && session.kind != ClientKind::Monitor && net::send(peer, channel, bytes)) {
      sent += bytes.size();
    }
  }
  return sent;
}

Session* Sessions::find(std::uint64_t serial) {
  for (auto& [peer, session] : sessions_) {
    if (session.serial == serial && session.authenticated) return &session;
  }
  return nullptr;
}

void Sessions::check(double hello_timeout_s, double idle_timeout_s, const std::function<bool(const Session&)>& revoked) {
  for (auto& [peer, session] : sessions_) {
    if (!session.authenticated) {
      if (peer->state == ENET_PEER_STATE_CONNECTED && seconds_since(session.connected_at) > hello_timeout_s) {
        refuse(session, RefusalCode::HelloTimeout, "no hello within the deadline");
      }
      continue;
    }
    if (seconds_since(session.last_heard) > idle_timeout_s) {
      refuse(session, RefusalCode::Idle,
             "nothing heard from you for " + std::to_string(static_cast<int>(idle_timeout_s)) + " s");
      continue;
    }
    if (revoked(session)) refuse(session, RefusalCode::RevokedToken, "your token was revoked");
  }
}

void Sessions::say_goodbye() {
  for (auto& [peer, session] : sessions_) {
    net::send_message(peer, kControlChannel, Refusal{RefusalCode::ShuttingDown, "the server is shutting down"});
    enet_peer_disconnect_later(peer, 0);
  }
  enet_host_flush(host_.get());
  // Give the goodbyes a moment to leave before the host goes away.
  ENetEvent event;
  const auto deadline = Clock::now() + std::chrono::milliseconds(300);
  while (Clock::now() < deadline && enet_host_service(host_.get(), &event, 20) >= 0) {
    if (event.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(event.packet);
  }
}

}  // namespace lodestone::room
