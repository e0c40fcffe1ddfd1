#pragma once
// The few ENet operations both ends share: library start-up, host creation with the
// socket buffers snapshots need, and sending an encoded message on a channel.
#include "lodestone/channels.h"
#include "lodestone/envelope.h"

#include <enet/enet.h>

#include <memory>
#include <string>

namespace lodestone::net {

// Initialises ENet once per process (idempotent, thread-safe).
void ensure_enet();

struct HostDeleter {
  void operator()(ENetHost* host) const { enet_host_destroy(host); }
};
using HostPtr = std::unique_ptr<ENetHost, HostDeleter>;

// A server host bound to address:port (port 0 picks a free one), or nullptr with `error`.
HostPtr create_server_host(const std::string& address, std::uint16_t port, std::size_t max_peers,
                           std::size_t max_incoming_packet, std::string& error);
HostPtr create_client_host(std::string& error);

// Sends `bytes` on `channel` with the channel's delivery; false if ENet refused it.
bool send(ENetPeer* peer, Channel channel, const Bytes& bytes);

template <class M>
bool send_message(ENetPeer* peer, Channel channel, const M& message) {
  return send(peer, channel, encode(message));
}

std::string peer_address(const ENetPeer* peer);

}  // namespace lodestone::net
