#include "net/enet_link.h"

#include <mutex>

namespace lodestone::net {

void ensure_enet() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (enet_initialize() == 0) std::atexit(enet_deinitialize);
  });
}

namespace {

void tune(ENetHost* host, std::size_t max_packet) {
  host->maximumPacketSize = max_packet;
  // Large unreliable fragments are mostly lost with the default receive buffer.
  enet_socket_set_option(host->socket, ENET_SOCKOPT_RCVBUF, kSocketBufferBytes);
  enet_socket_set_option(host->socket, ENET_SOCKOPT_SNDBUF, kSocketBufferBytes);
}

}  // namespace

HostPtr create_server_host(const std::string& address, std::uint16_t port, std::size_t max_peers,
                           std::size_t max_incoming_packet, std::string& error) {
  ensure_enet();
  ENetAddress bind{};
  if (enet_address_set_host(&bind, address.c_str()) != 0) {
    error = "cannot resolve address '" + address + "'";
    return nullptr;
  }
  bind.port = port;
  HostPtr host(enet_host_create(&bind, max_peers, kChannelCount, 0, 0));
  if (!host) {
    error = "cannot listen on " + address + ":" + std::to_string(port) + " (in use, or not a local address)";
    return nullptr;
  }
  tune(host.get(), max_incoming_packet);
  return host;
}

HostPtr create_client_host(std::string& error) {
  ensure_enet();
  HostPtr host(enet_host_create(nullptr, 1, kChannelCount, 0, 0));
  if (!host) {
    error = "cannot create a network host";
    return nullptr;
  }
  tune(host.get(), kMaxPacketBytes);
  return host;
}

bool send(ENetPeer* peer, Channel channel, const Bytes& bytes) {
  enet_uint32 flags = 0;
  switch (delivery_of(channel)) {
    case Delivery::Reliable: flags = ENET_PACKET_FLAG_RELIABLE; break;
    case Delivery::UnreliableFragment: flags = ENET_PACKET_FLAG_UNRELIABLE_FRAGMENT; break;
    case Delivery::Unreliable: flags = 0; break;
  }
  ENetPacket* packet = enet_packet_create(bytes.data(), bytes.size(), flags);
  if (packet == nullptr) return false;
  if (enet_peer_send(peer, channel, packet) != 0) {
    enet_packet_destroy(packet);
    return false;
  }
  return true;
}

std::string peer_address(const ENetPeer* peer) {
  char host[64] = "?";
  enet_address_get_host_ip(&peer->address, host, sizeof host);
  return std::string(host) + ":" + std::to_string(peer->address.port);
}

}  // namespace lodestone::net
