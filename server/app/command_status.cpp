// status: asks a running server how it is doing, over the protocol (any role's token).
#include "app/commands.h"
#include "lodestone/channels.h"
#include "lodestone/envelope.h"
#include "net/enet_link.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstdlib>

namespace lodestone::server {
namespace {

using Clock = std::chrono::steady_clock;

std::string megabytes(double bytes) { return fmt::format("{:.1f} MB", bytes / 1e6); }

void print_status(const ServerStatus& s, bool json) {
  if (json) {
    // NaN (a figure not known yet) is written as null; names are escaped as JSON needs.
    const nlohmann::ordered_json out{
        {"version", s.server_version},
        {"uptime_seconds", s.uptime_seconds},
        {"dataset_id", s.dataset_id},
        {"dataset", s.dataset_name},
        {"items", s.item_count},
        {"clients", {{"lead", s.leads}, {"annotator", s.annotators}, {"viewer", s.viewers}}},
        {"snapshots_per_second", s.snapshot_rate},
        {"bytes_out_per_second", s.bytes_out_per_second},
        {"training",
         {{"step", s.training_step},
          {"paused", s.training_paused},
          {"reconstruction", s.reconstruction_loss},
          {"kl", s.kl_loss},
          {"classifier", s.classifier_loss}}},
        {"labelled", s.labelled_count},
        {"conflicts", s.conflict_count},
        {"database_bytes", s.database_bytes},
        {"acceptance_threshold", s.acceptance_threshold},
        {"last_checkpoint",
         s.last_checkpoint_id ? nlohmann::ordered_json{{"id", s.last_checkpoint_id},
                                                       {"step", s.last_checkpoint_step},
                                                       {"at", s.last_checkpoint_at}}
                              : nlohmann::ordered_json(nullptr)}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return;
  }
  std::printf("server       lodestone %s, up %.0f s\n", s.server_version.c_str(), s.uptime_seconds);
  std::printf("dataset      %lld '%s', %u items, %u labelled, %u in conflict\n",
              static_cast<long long>(s.dataset_id), s.dataset_name.c_str(), s.item_count, s.labelled_count,
              s.conflict_count);
  std::printf("clients      %u lead(s), %u annotator(s), %u viewer(s)\n", s.leads, s.annotators, s.viewers);
  std::printf("snapshots    %.1f per second per client, %s/s out\n", static_cast<double>(s.snapshot_rate),
              megabytes(static_cast<double>(s.bytes_out_per_second)).c_str());
  std::printf("training     step %llu%s | recon %.1f kl %.2f class %.3f\n",
              static_cast<unsigned long long>(s.training_step), s.training_paused ? " (paused)" : "",
              static_cast<double>(s.reconstruction_loss), static_cast<double>(s.kl_loss),
              static_cast<double>(s.classifier_loss));
  std::printf("database     %s\n", megabytes(static_cast<double>(s.database_bytes)).c_str());
  if (s.last_checkpoint_id) {
    std::printf("checkpoint   %lld at step %llu, %s\n", static_cast<long long>(s.last_checkpoint_id),
                static_cast<unsigned long long>(s.last_checkpoint_step), s.last_checkpoint_at.c_str());
  } else {
    std::printf("checkpoint   none yet\n");
  }
}

}  // namespace

// status [--host H] [--port P] [--token T] [--json] [--timeout S]; the token may come from
// $LODESTONE_TOKEN instead, so it stays out of the process list.
int command_status(const Args& args) {
  const auto host_name = args.option_or("host", "127.0.0.1");
  const auto port = static_cast<std::uint16_t>(args.number_or("port", 7777));
  std::string token = args.option_or("token", "");
  if (token.empty()) {
    if (const char* env = std::getenv("LODESTONE_TOKEN")) token = env;
  }
  if (token.empty()) throw UsageError("status needs a token: --token T or $LODESTONE_TOKEN (any role)");
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(args.number_or("timeout", 5)));

  std::string error;
  auto host = net::create_client_host(error);
  if (!host) {
    spdlog::error("{}", error);
    return 1;
  }
  ENetAddress address{};
  if (enet_address_set_host(&address, host_name.c_str()) != 0) {
    spdlog::error("cannot resolve {}", host_name);
    return 1;
  }
  address.port = port;
  ENetPeer* peer = enet_host_connect(host.get(), &address, kChannelCount, 0);
  if (!peer) {
    spdlog::error("cannot start a connection to {}:{}", host_name, port);
    return 1;
  }
  bool connected = false;
  const std::uint64_t request_id = 1;
  while (Clock::now() < deadline) {
    ENetEvent event;
    if (enet_host_service(host.get(), &event, 50) <= 0) continue;
    if (event.type == ENET_EVENT_TYPE_CONNECT) {
      connected = true;
      net::send_message(peer, kControlChannel, Hello{kProtocolVersion, ClientKind::Monitor, token, "status", 0});
    } else if (event.type == ENET_EVENT_TYPE_DISCONNECT) {
      spdlog::error("the server at {}:{} closed the connection", host_name, port);
      return 1;
    } else if (event.type == ENET_EVENT_TYPE_RECEIVE) {
      auto message = decode_message(std::span(event.packet->data, event.packet->dataLength));
      enet_packet_destroy(event.packet);
      if (!message) continue;
      if (const auto* refusal = std::get_if<Refusal>(&*message)) {
        spdlog::error("refused: {}", refusal->message);
        return 1;
      }
      if (std::holds_alternative<Welcome>(*message)) {
        net::send_message(peer, kControlChannel, StatusRequest{request_id});
      } else if (const auto* status = std::get_if<ServerStatus>(&*message); status && status->request_id == request_id) {
        print_status(*status, args.flag("json"));
        enet_peer_disconnect(peer, 0);
        enet_host_flush(host.get());
        return 0;
      }
    }
  }
  if (connected) {
    spdlog::error("no status from {}:{} in time", host_name, port);
  } else {
    spdlog::error("no server answers at {}:{}", host_name, port);
  }
  return 1;
}

}  // namespace lodestone::server
