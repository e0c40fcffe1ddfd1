#include "room/room_server.h"

#include "access/token_store.h"
#include "annotation/room_settings.h"
#include "annotation/sphere_store.h"
#include "lodestone/hash.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxStrikes = 3;  // malformed packets before a peer is dropped
constexpr std::size_t kFullRoomSlots = 4;  // extra ENet slots to refuse peers beyond max_peers
constexpr std::size_t kThumbnailChunk = 64 * 1024;
// The largest message a client may send (a hello or a presence is well under 1 KiB).
constexpr std::size_t kMaxClientPacketBytes = 16 * 1024;

template <class M>
constexpr bool is_console_request =
    std::is_same_v<M, StatusRequest> || std::is_same_v<M, ListRequest> || std::is_same_v<M, ClassCommand> ||
    std::is_same_v<M, CheckpointCommand> || std::is_same_v<M, TrainingCommand> || std::is_same_v<M, TokenCommand> ||
    std::is_same_v<M, ResolveConflict> || std::is_same_v<M, ImportRequest> || std::is_same_v<M, ExportRequest>;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t micros_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
}

double ms(std::int64_t micros) { return static_cast<double>(micros) / 1000; }

float or_nan(double v) { return static_cast<float>(v); }

}  // namespace

RoomServer::RoomServer(RoomOptions options, store::Database& db, RoomDataset dataset, learning::Trainer& trainer)
    : options_(std::move(options)),
      db_(db),
      dataset_(std::move(dataset)),
      trainer_(trainer),
      stream_(options_.room, options_.smoothing_seconds, 1.0 / options_.snapshot_rate),
      started_(Clock::now()),
      predictions_(options_.acceptance_threshold) {
  dataset_.description.room = options_.room;
  dataset_.description.thumbnails_hash = hash64(std::as_bytes(std::span(dataset_.thumbnails)));
  dataset_.description.thumbnails_bytes = dataset_.thumbnails.size();
  for (std::size_t i = 0; i < dataset_.item_ids.size(); ++i) {
    index_of_[dataset_.item_ids[i]] = static_cast<std::uint32_t>(i);
  }
  const auto items = dataset_.item_ids.size();
  if (dataset_.labelled_by.size() != items) dataset_.labelled_by.assign(items, 0);
  if (dataset_.origins.size() != items) dataset_.origins.assign(items, annotation::LabelOrigin::Manual);
  if (dataset_.truth.size() != items) dataset_.truth.assign(items, -1);
  try {
    if (const auto stored = annotation::read_room_setting(db_, "acceptance_threshold")) {
      predictions_.set_threshold(std::stof(*stored));
    }
  } catch (const std::exception& e) {
    spdlog::warn("the stored acceptance threshold cannot be read ({}); using {:.2f}", e.what(), predictions_.threshold());
  }
  writer_ = std::make_unique<IntentWriter>(db_.open_another(), dataset_.description.dataset_id, dataset_.item_ids,
                                           options_.room);
}

RoomServer::~RoomServer() = default;

bool RoomServer::listen(std::string& error) {
  // ENet's packet-size limit applies to what we send too (thumbnail chunks, keyframes of
  // large clouds), so the host takes the protocol's largest; on_receive holds clients to
  // a much smaller size. A few slots beyond max_peers let the room tell the next peers
  // that it is full instead of leaving their connect to time out.
  host_ = net::create_server_host(options_.address, options_.port, options_.max_peers + kFullRoomSlots,
                                  kMaxPacketBytes, error);
  return host_ != nullptr;
}

std::uint16_t RoomServer::port() const { return host_ ? host_->address.port : 0; }

std::size_t RoomServer::client_count() const {
  std::size_t n = 0;
  for (const auto& [peer, session] : sessions_) n += session.authenticated;
  return n;
}

void RoomServer::run(const std::atomic<bool>& stop, const std::function<void()>& each_second) {
  spdlog::info("room listening on {}:{} (snapshots {}/s)", options_.address, port(), options_.snapshot_rate);
  const double snapshot_interval = 1.0 / options_.snapshot_rate;
  auto last_snapshot = Clock::now(), last_status = Clock::now(), last_check = Clock::now();
  // Every client's snapshots and answers wait while this thread is busy: a stage that
  // holds it for longer than a tick is named in the log.
  const auto timed = [snapshot_interval](const char* stage, auto&& work) {
    const auto start = Clock::now();
    work();
    if (const double took = seconds_since(start); took > snapshot_interval) {
      spdlog::warn("room thread: {} took {:.0f} ms (snapshots wait meanwhile)", stage, took * 1000);
    }
  };
  while (!stop) {
    const auto polling = Clock::now();
    const auto polled = poll_network(2);
    if (const double took = seconds_since(polling); took > snapshot_interval) {
      // Split, so a stall says whether ENet or one of our handlers held the thread.
      spdlog::warn("room thread: handling messages took {:.0f} ms (snapshots wait meanwhile): {} event(s), "
                   "{:.0f} ms in ENet (longest call {:.0f} ms), longest handler {:.0f} ms ({})",
                   took * 1000, polled.events, ms(polled.service_us), ms(polled.longest_service_us),
                   ms(polled.longest_handler_us), polled.longest_handler);
    }
    deliver_intent_outcomes();
    deliver_deferred_replies();
    if (auto room = trainer_.latest(); room && room->version != embedding_version_) {
      embedding_version_ = room->version;
      timed("taking a refresh", [&] {
        stream_.set_target(room->room);
        predictions_.update(room->predictions);
      });
      model_predictions_ = std::shared_ptr<const std::vector<learning::Prediction>>(room, &room->predictions);
      shown_.reset();
    }
    const double since_snapshot = seconds_since(last_snapshot);
    if (since_snapshot >= snapshot_interval) {
      // A fixed schedule: a late tick brings the next one closer, so time spent on other
      // work (a flood of packets) does not lower the rate. A whole tick behind: start afresh.
      last_snapshot += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(snapshot_interval));
      if (seconds_since(last_snapshot) >= snapshot_interval) last_snapshot = Clock::now();
      timed("sending snapshots", [&] { tick_snapshots(); });
      shown_.reset();
    }
    if (seconds_since(last_status) >= 1.0) {
      last_status = Clock::now();
      measure_rates();
      send_status();
      timed("sending predictions", [&] { broadcast_predictions(); });
      if (each_second) timed("the status and checkpoint schedule", each_second);
    }
    if (seconds_since(last_check) >= 0.5) {
      last_check = Clock::now();
      timed("checking sessions", [&] { check_sessions(); });
    }
  }
  finish_queued_intents();  // what was stored is acknowledged before the goodbye
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

RoomServer::PollStats RoomServer::poll_network(int timeout_ms) {
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
    handled_message_ = "connect or disconnect";
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
        const bool full = static_cast<std::size_t>(staying) >= options_.max_peers;
        auto& session = sessions_[event.peer] = s;
        spdlog::debug("peer {} connected", net::peer_address(event.peer));
        if (full) {
          refuse(session, RefusalCode::ServerFull,
                 "the room is full (" + std::to_string(options_.max_peers) + " clients); try again later");
        }
        break;
      }
      case ENET_EVENT_TYPE_RECEIVE: {
        if (auto it = sessions_.find(event.peer); it != sessions_.end()) on_receive(it->second, *event.packet, event.channelID);
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
      stats.longest_handler = handled_message_;
    }
  }
  return stats;
}

void RoomServer::refuse(Session& session, RefusalCode code, const std::string& message) {
  spdlog::warn("refusing {} ({}): {}", net::peer_address(session.peer),
               session.authenticated ? session.identity.user_name : "not signed in", message);
  net::send_message(session.peer, kControlChannel, Refusal{code, message});
  enet_peer_disconnect_later(session.peer, 0);
  session.authenticated = false;
  session.refused = true;
}

// The channel each message a client may send belongs to (lodestone/channels.h):
// presence on its unreliable channel, everything else on the reliable control channel.
Channel channel_of(const Message& message) {
  return std::holds_alternative<Presence>(message) ? kPresenceChannel : kControlChannel;
}

void RoomServer::on_receive(Session& session, const ENetPacket& packet, std::uint8_t channel) {
  if (session.refused) return;  // already told why; its hello must not let it in again
  session.last_heard = Clock::now();
  if (packet.dataLength > kMaxClientPacketBytes) {
    ++counters_.malformed_packets;
    refuse(session, RefusalCode::Malformed,
           "a packet of " + std::to_string(packet.dataLength) + " bytes; clients send at most " +
               std::to_string(kMaxClientPacketBytes));
    return;
  }
  auto decoded = decode_message(std::span(packet.data, packet.dataLength));
  if (!decoded) {
    ++counters_.malformed_packets;
    const bool version = decoded.error().reason == DecodeFailure::UnsupportedVersion;
    spdlog::warn("malformed packet from {}: {}", net::peer_address(session.peer), decoded.error().describe());
    if (version) {
      refuse(session, RefusalCode::ProtocolVersion, decoded.error().describe());
    } else if (++session.strikes >= kMaxStrikes || !session.authenticated) {
      refuse(session, RefusalCode::Malformed, decoded.error().describe());
    }
    return;
  }
  handled_message_ = message_name(static_cast<std::uint16_t>(decoded->index()));
  if (const auto expected = channel_of(*decoded); channel != expected) {
    // An intent or an admin request on an unreliable channel could be lost or reordered
    // without anyone knowing: refused like a malformed packet.
    ++counters_.malformed_packets;
    const std::string what = std::string("a ") + handled_message_ + " message on channel " + std::to_string(channel) +
                             "; it belongs on channel " + std::to_string(static_cast<int>(expected));
    spdlog::warn("malformed packet from {}: {}", net::peer_address(session.peer), what);
    if (++session.strikes >= kMaxStrikes || !session.authenticated) refuse(session, RefusalCode::Malformed, what);
    return;
  }
  if (!session.authenticated) {
    if (const auto* hello = std::get_if<Hello>(&*decoded)) {
      try {
        on_hello(session, *hello);
      } catch (const std::exception& e) {
        // A store that cannot be read costs this join, never the room.
        spdlog::error("a join from {} failed: {}", net::peer_address(session.peer), e.what());
        refuse(session, RefusalCode::StorageFailure,
               "the server cannot read the room's state from its store now: " + store::client_reason(e));
      }
    } else {
      refuse(session, RefusalCode::Malformed, "the first message must be a hello");
    }
    return;
  }
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        try {
          dispatch(session, m);
        } catch (const std::exception& e) {
          // Whatever a handler could not read or write, the room goes on serving: the
          // sender hears why (a console request its answer), the log says what failed.
          spdlog::error("handling {}'s {} failed: {}", session.identity.user_name, handled_message_, e.what());
          if constexpr (is_console_request<M>) {
            reply(session, AdminResult{m.request_id, false, RefusalCode::StorageFailure,
                                       "the server could not do this: " + store::client_reason(e), ""});
          }
        }
      },
      *decoded);
}

template <class M>
void RoomServer::dispatch(Session& session, M& m) {
  if constexpr (std::is_same_v<M, SnapshotAck>) {
    if (m.seq <= stream_.seq() && m.seq > session.acked_seq) {
      session.previous_acked_seq = session.acked_seq;
      session.acked_seq = m.seq;
    }
  } else if constexpr (std::is_same_v<M, Intent>) {
    session.last_activity = Clock::now();
    on_intent(session, m);
  } else if constexpr (std::is_same_v<M, Presence>) {
    on_presence(session, m);
  } else if constexpr (std::is_same_v<M, InspectRequest>) {
    on_inspect(session, m);
  } else if constexpr (is_console_request<M>) {
    session.last_activity = Clock::now();
    on_admin(session, m);
  } else {
    ++counters_.malformed_packets;
    spdlog::warn("{} sent a {} message, which clients may not send", session.identity.user_name,
                 handled_message_);
  }
}

void RoomServer::on_hello(Session& session, const Hello& hello) {
  if (hello.protocol_version != kProtocolVersion) {
    refuse(session, RefusalCode::ProtocolVersion,
           "this server speaks protocol version " + std::to_string(kProtocolVersion) + ", the client " +
               std::to_string(hello.protocol_version));
    return;
  }
  access::Verification check;
  try {
    check = access::verify_token(db_, hello.token);
  } catch (const std::exception& e) {
    spdlog::error("cannot check a token: {}", e.what());
    refuse(session, RefusalCode::StorageFailure, "cannot check the token: " + store::client_reason(e));
    return;
  }
  if (check.result == access::TokenCheck::Unknown) {
    refuse(session, RefusalCode::BadToken, "unknown token: ask your project lead for one");
    return;
  }
  if (check.result == access::TokenCheck::Revoked) {
    refuse(session, RefusalCode::RevokedToken, "this token was revoked on " + *check.token.revoked_at);
    return;
  }
  session.authenticated = true;
  session.kind = hello.kind;
  session.token_id = check.token.token_id;
  session.identity = {check.token.user_id, check.token.user_name, check.token.role, check.token.user_color,
                      LODESTONE_VERSION};
  spdlog::info("{} joined as {} from {} ({})", session.identity.user_name, access::role_name(session.identity.role),
               net::peer_address(session.peer), hello.client_name);
  if (session.kind == ClientKind::Monitor) {
    net::send_message(session.peer, kControlChannel, session.identity);
    return;
  }
  send_join_state(session, hello.cached_thumbnails_hash);
}

void RoomServer::send_join_state(Session& session, std::uint64_t cached_thumbnails_hash) {
  ENetPeer* peer = session.peer;
  net::send_message(peer, kControlChannel, session.identity);
  net::send_message(peer, kControlChannel, dataset_.description);
  net::send_message(peer, kControlChannel, dataset_.label_set);
  for (const auto& sphere : annotation::live_spheres(db_, dataset_.description.dataset_id)) {
    net::send_message(peer, kControlChannel, SphereUpdate{sphere});
  }
  net::send_message(peer, kControlChannel, LabelsChanged{true, all_labels()});
  if (session.kind == ClientKind::Console && !training_history_.empty()) {
    RecentTraining history;
    const auto now = Clock::now();
    for (const auto& [at, status] : training_history_) {
      history.points.push_back({std::chrono::duration<double>(now - at).count(), status});
    }
    net::send_message(peer, kControlChannel, history);
  }
  if (!predictions_.told().empty()) {
    net::send_message(peer, kControlChannel, Predictions{true, predictions_.threshold(), predictions_.told()});
  }
  if (stream_.seq() != 0) {
    const auto frame = stream_.frame_for(0);
    // The keyframe goes reliably: a joining client must not wait for the next tick.
    net::send_message(peer, kControlChannel,
                      Snapshot{stream_.seq(), micros_since(started_), 0, *frame.bytes});
    session.last_sent_seq = stream_.seq();
  }
  const auto& thumbs = dataset_.thumbnails;
  if (cached_thumbnails_hash != dataset_.description.thumbnails_hash) {
    for (std::size_t offset = 0; offset < thumbs.size(); offset += kThumbnailChunk) {
      const auto end = std::min(thumbs.size(), offset + kThumbnailChunk);
      ThumbnailChunk chunk{dataset_.description.thumbnails_hash, offset, thumbs.size(),
                           std::vector<std::uint8_t>(thumbs.begin() + static_cast<std::ptrdiff_t>(offset),
                                                     thumbs.begin() + static_cast<std::ptrdiff_t>(end))};
      if (!net::send_message(peer, kControlChannel, chunk)) {
        spdlog::warn("cannot queue thumbnails for {} at offset {}", session.identity.user_name, offset);
        break;
      }
    }
  }
}

std::vector<ItemLabel> RoomServer::all_labels() const {
  std::vector<ItemLabel> labels;
  for (std::size_t i = 0; i < dataset_.labels.size(); ++i) {
    if (dataset_.labels[i] < 0) continue;
    labels.push_back({static_cast<std::uint32_t>(i),
                      dataset_.label_set.classes[static_cast<std::size_t>(dataset_.labels[i])].id,
                      dataset_.labelled_by[i]});
  }
  return labels;
}

void RoomServer::tick_snapshots() {
  stream_.advance();
  if (stream_.seq() == 0) return;  // no embedding yet: nothing to show
  const auto now = micros_since(started_);
  for (auto& [peer, session] : sessions_) {
    // Monitors do not draw the cloud; consoles get one keyframe (positions to show), no stream.
    if (!session.authenticated || session.kind == ClientKind::Monitor) continue;
    if (session.kind == ClientKind::Console && session.last_sent_seq != 0) continue;
    // A client that stopped acknowledging gets keyframes, not an ever longer chain.
    const bool behind = session.last_sent_seq > session.acked_seq + 30;
    const auto frame = behind ? stream_.frame_for(0) : stream_.frame_for(session.acked_seq, session.previous_acked_seq);
    Snapshot snapshot{stream_.seq(), now, frame.base_seq, *frame.bytes};
    const auto bytes = encode(snapshot);
    if (net::send(peer, kSnapshotChannel, bytes)) {
      ++counters_.snapshots_sent;
      counters_.bytes_sent += bytes.size();
      session.last_sent_seq = stream_.seq();
    }
  }
}

void RoomServer::send_status() {
  const auto room = trainer_.latest();
  if (!room) return;
  const auto& m = room->metrics;
  TrainingStatus status{room->step,
                        m.losses.reconstruction,
                        m.losses.kl,
                        m.losses.classifier,
                        static_cast<std::uint32_t>(m.labelled_count),
                        or_nan(m.labelled_accuracy),
                        or_nan(m.unlabelled_accuracy),
                        or_nan(m.knn_accuracy),
                        static_cast<float>(trainer_.samples_per_second()),
                        trainer_.paused()};
  broadcast(encode(status), kControlChannel);
  const auto now = Clock::now();
  training_history_.emplace_back(now, status);
  while (training_history_.size() > wire::kMaxTrainingPoints ||
         now - training_history_.front().first > std::chrono::hours(1)) {
    training_history_.pop_front();
  }
}

void RoomServer::broadcast_predictions(bool even_if_unchanged) {
  bool full = false;
  auto changes = predictions_.take_changes(full);
  if (!changes && !even_if_unchanged) return;
  const auto bytes =
      encode(Predictions{full, predictions_.threshold(), changes.value_or(std::vector<ItemPrediction>{})});
  for (auto& [peer, session] : sessions_) {
    if (!session.authenticated || session.kind == ClientKind::Monitor) continue;
    if (net::send(peer, kControlChannel, bytes)) counters_.bytes_sent += bytes.size();
  }
}

void RoomServer::set_acceptance_threshold(float threshold) {
  annotation::write_room_setting(db_, "acceptance_threshold", std::to_string(threshold));
  predictions_.set_threshold(threshold);
  broadcast_predictions(true);  // clients hear the new threshold at once
}

void RoomServer::check_sessions() {
  for (auto& [peer, session] : sessions_) {
    if (!session.authenticated) {
      if (peer->state == ENET_PEER_STATE_CONNECTED &&
          seconds_since(session.connected_at) > options_.hello_timeout_seconds) {
        refuse(session, RefusalCode::HelloTimeout, "no hello within the deadline");
      }
      continue;
    }
    if (seconds_since(session.last_heard) > options_.idle_timeout_seconds) {
      refuse(session, RefusalCode::Idle,
             "nothing heard from you for " + std::to_string(static_cast<int>(options_.idle_timeout_seconds)) + " s");
      continue;
    }
    try {
      if (access::is_revoked(db_, session.token_id)) {
        refuse(session, RefusalCode::RevokedToken, "your token was revoked");
      }
    } catch (const std::exception& e) {
      spdlog::warn("cannot check token {}: {}", session.token_id, e.what());
    }
  }
}

void RoomServer::broadcast(const Bytes& bytes, Channel channel, const Session* except) {
  for (auto& [peer, session] : sessions_) {
    if (session.authenticated && &session != except) net::send(peer, channel, bytes);
  }
}

void RoomServer::on_presence(Session& session, Presence presence) {
  const auto now = Clock::now();
  if (now - session.last_presence < std::chrono::milliseconds(30)) return;  // at most ~30 per second
  session.last_presence = now;
  presence.user_id = session.identity.user_id;
  presence.name = session.identity.user_name;
  presence.color = session.identity.color;
  broadcast(encode(presence), kPresenceChannel, &session);
}

}  // namespace lodestone::room
