#include "room/room_server.h"

#include "access/token_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxStrikes = 3;  // malformed packets before a peer is dropped
// The largest message a client may send (a hello or a presence is well under 1 KiB).
constexpr std::size_t kMaxClientPacketBytes = 16 * 1024;

template <class M>
constexpr bool is_console_request =
    std::is_same_v<M, StatusRequest> || std::is_same_v<M, ListRequest> || std::is_same_v<M, ClassCommand> ||
    std::is_same_v<M, CheckpointCommand> || std::is_same_v<M, TrainingCommand> || std::is_same_v<M, TokenCommand> ||
    std::is_same_v<M, ResolveConflict> || std::is_same_v<M, ImportRequest> || std::is_same_v<M, ExportRequest> ||
    std::is_same_v<M, VoiceCommand>;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t micros_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
}

double ms(std::int64_t micros) { return static_cast<double>(micros) / 1000; }

float or_nan(double v) { return static_cast<float>(v); }

// The channel each message a client may send belongs to (lodestone/channels.h):
// presence and voice on their unreliable channels, everything else on the reliable
// control channel.
Channel channel_of(const Message& message) {
  if (std::holds_alternative<Presence>(message)) return kPresenceChannel;
  if (std::holds_alternative<VoiceFrame>(message)) return kVoiceChannel;
  return kControlChannel;
}

}  // namespace

RoomServer::RoomServer(RoomOptions options, store::Database& db, RoomDataset dataset, learning::Trainer& trainer)
    : state_(std::move(options), db, std::move(dataset), trainer),
      join_(state_, sessions_),
      intents_(state_, sessions_),
      voice_(state_, sessions_),
      admin_(state_, sessions_, intents_,
             {[this] { check_sessions(); }, [this] { broadcast_predictions(/*even_if_unchanged=*/true); }}) {}

RoomServer::~RoomServer() = default;

bool RoomServer::listen(std::string& error) {
  return sessions_.listen(state_.options.address, state_.options.port, state_.options.max_peers, error);
}

void RoomServer::run(const std::atomic<bool>& stop, const std::function<void()>& each_second) {
  const auto& options = state_.options;
  spdlog::info("room listening on {}:{} (snapshots {}/s)", options.address, port(), options.snapshot_rate);
  const double snapshot_interval = 1.0 / options.snapshot_rate;
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
  const auto receive = [this](Session& s, const ENetPacket& p, std::uint8_t channel) { return on_receive(s, p, channel); };
  while (!stop) {
    const auto polling = Clock::now();
    const auto polled = sessions_.poll(2, receive);
    if (const double took = seconds_since(polling); took > snapshot_interval) {
      // Split, so a stall says whether ENet or one of our handlers held the thread.
      spdlog::warn("room thread: handling messages took {:.0f} ms (snapshots wait meanwhile): {} event(s), "
                   "{:.0f} ms in ENet (longest call {:.0f} ms), longest handler {:.0f} ms ({})",
                   took * 1000, polled.events, ms(polled.service_us), ms(polled.longest_service_us),
                   ms(polled.longest_handler_us), polled.longest_handler);
    }
    intents_.deliver_outcomes();
    intents_.deliver_clips();
    join_.send_thumbnails();
    admin_.deliver_deferred_replies();
    timed("taking a refresh", [&] { take_refresh(); });
    const double since_snapshot = seconds_since(last_snapshot);
    if (since_snapshot >= snapshot_interval) {
      // A fixed schedule: a late tick brings the next one closer, so time spent on other
      // work (a flood of packets) does not lower the rate. A whole tick behind: start afresh.
      last_snapshot += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(snapshot_interval));
      if (seconds_since(last_snapshot) >= snapshot_interval) last_snapshot = Clock::now();
      timed("sending snapshots", [&] { tick_snapshots(); });
      state_.shown.reset();
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
  intents_.finish_queued();  // what was stored is acknowledged before the goodbye
  sessions_.say_goodbye();
}

const char* RoomServer::on_receive(Session& session, const ENetPacket& packet, std::uint8_t channel) {
  const char* what = "a malformed packet";
  if (session.refused) return what;  // already told why; its hello must not let it in again
  session.last_heard = Clock::now();
  if (packet.dataLength > kMaxClientPacketBytes) {
    ++state_.counters.malformed_packets;
    sessions_.refuse(session, RefusalCode::Malformed,
                     "a packet of " + std::to_string(packet.dataLength) + " bytes; clients send at most " +
                         std::to_string(kMaxClientPacketBytes));
    return what;
  }
  auto decoded = decode_message(std::span(packet.data, packet.dataLength));
  if (!decoded) {
    ++state_.counters.malformed_packets;
    const bool version = decoded.error().reason == DecodeFailure::UnsupportedVersion;
    spdlog::warn("malformed packet from {}: {}", net::peer_address(session.peer), decoded.error().describe());
    if (version) {
      sessions_.refuse(session, RefusalCode::ProtocolVersion, decoded.error().describe());
    } else if (++session.strikes >= kMaxStrikes || !session.authenticated) {
      sessions_.refuse(session, RefusalCode::Malformed, decoded.error().describe());
    }
    return what;
  }
  what = message_name(static_cast<std::uint16_t>(decoded->index()));
  if (const auto expected = channel_of(*decoded); channel != expected) {
    // An intent or an admin request on an unreliable channel could be lost or reordered
    // without anyone knowing: refused like a malformed packet.
    ++state_.counters.malformed_packets;
    const std::string why = std::string("a ") + what + " message on channel " + std::to_string(channel) +
                            "; it belongs on channel " + std::to_string(static_cast<int>(expected));
    spdlog::warn("malformed packet from {}: {}", net::peer_address(session.peer), why);
    if (++session.strikes >= kMaxStrikes || !session.authenticated) sessions_.refuse(session, RefusalCode::Malformed, why);
    return what;
  }
  if (!session.authenticated) {
    if (const auto* hello = std::get_if<Hello>(&*decoded)) {
      try {
        join_.on_hello(session, *hello);
      } catch (const std::exception& e) {
        // A store that cannot be read costs this join, never the room.
        spdlog::error("a join from {} failed: {}", net::peer_address(session.peer), e.what());
        sessions_.refuse(session, RefusalCode::StorageFailure,
                         "the server cannot read the room's state from its store now: " + store::client_reason(e));
      }
    } else {
      sessions_.refuse(session, RefusalCode::Malformed, "the first message must be a hello");
    }
    return what;
  }
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        try {
          route(session, m);
        } catch (const std::exception& e) {
          // Whatever a handler could not read or write, the room goes on serving: the
          // sender hears why (a console request its answer), the log says what failed.
          spdlog::error("handling {}'s {} failed: {}", session.identity.user_name, what, e.what());
          if constexpr (is_console_request<M>) {
            admin_.fail(session, m.request_id, "the server could not do this: " + store::client_reason(e));
          }
        }
      },
      *decoded);
  return what;
}

template <class M>
void RoomServer::route(Session& session, M& m) {
  if constexpr (std::is_same_v<M, SnapshotAck>) {
    if (m.seq <= state_.stream.seq() && m.seq > session.acked_seq) {
      session.previous_acked_seq = session.acked_seq;
      session.acked_seq = m.seq;
    }
  } else if constexpr (std::is_same_v<M, Presence>) {
    join_.on_presence(session, m);
  } else if constexpr (std::is_same_v<M, ThumbnailFocus>) {
    join_.on_focus(session, m);
  } else if constexpr (std::is_same_v<M, Intent>) {
    intents_.on_intent(session, m);
  } else if constexpr (std::is_same_v<M, InspectRequest>) {
    intents_.on_inspect(session, m);
  } else if constexpr (std::is_same_v<M, ClipRequest>) {
    intents_.on_clip(session, m);
  } else if constexpr (std::is_same_v<M, VoiceFrame>) {
    voice_.on_frame(session, std::move(m));
  } else if constexpr (is_console_request<M>) {
    session.last_activity = Clock::now();
    admin_.handle(session, m);
  } else {
    ++state_.counters.malformed_packets;
    spdlog::warn("{} sent a {} message, which clients may not send", session.identity.user_name,
                 message_name(static_cast<std::uint16_t>(Message(m).index())));
  }
}

void RoomServer::take_refresh() {
  auto room = state_.trainer.latest();
  if (!room || room->version == embedding_version_) return;
  embedding_version_ = room->version;
  state_.stream.set_target(room->room);
  state_.predictions.update(room->predictions);
  state_.model_predictions = std::shared_ptr<const std::vector<learning::Prediction>>(room, &room->predictions);
  state_.shown.reset();
}

void RoomServer::tick_snapshots() {
  state_.stream.advance();
  if (state_.stream.seq() == 0) return;  // no embedding yet: nothing to show
  const auto now = micros_since(state_.started);
  sessions_.for_each([&](Session& session) {
    // Monitors do not draw the cloud; consoles get one keyframe (positions to show), no
    // stream. A console that joined before the first embedding gets it here, as at a join.
    if (!session.authenticated || session.kind == ClientKind::Monitor) return;
    if (session.kind == ClientKind::Console) {
      if (session.last_sent_seq == 0) join_.send_keyframe(session);
      return;
    }
    // A client that stopped acknowledging gets keyframes, not an ever longer chain.
    const bool behind = session.last_sent_seq > session.acked_seq + 30;
    const auto frame = behind ? state_.stream.frame_for(0) : state_.stream.frame_for(session.acked_seq, session.previous_acked_seq);
    Snapshot snapshot{state_.stream.seq(), now, frame.base_seq, *frame.bytes};
    const auto bytes = encode(snapshot);
    if (net::send(session.peer, kSnapshotChannel, bytes)) {
      ++state_.counters.snapshots_sent;
      state_.counters.bytes_sent += bytes.size();
      session.last_sent_seq = state_.stream.seq();
    }
  });
}

void RoomServer::send_status() {
  const auto room = state_.trainer.latest();
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
                        static_cast<float>(state_.trainer.samples_per_second()),
                        state_.trainer.paused()};
  sessions_.broadcast(encode(status), kControlChannel);
  const auto now = Clock::now();
  state_.training_history.emplace_back(now, status);
  while (state_.training_history.size() > wire::kMaxTrainingPoints ||
         now - state_.training_history.front().first > std::chrono::hours(1)) {
    state_.training_history.pop_front();
  }
}

void RoomServer::broadcast_predictions(bool even_if_unchanged) {
  bool full = false;
  auto changes = state_.predictions.take_changes(full);
  if (!changes && !even_if_unchanged) return;
  const auto bytes =
      encode(Predictions{full, state_.predictions.threshold(), changes.value_or(std::vector<ItemPrediction>{})});
  state_.counters.bytes_sent += sessions_.broadcast_to_viewers(bytes, kControlChannel);
}

void RoomServer::check_sessions() {
  sessions_.check(state_.options.hello_timeout_seconds, state_.options.idle_timeout_seconds, [this](const Session& s) {
    try {
      return access::is_revoked(state_.db, s.token_id);
    } catch (const std::exception& e) {
      spdlog::warn("cannot check token {}: {}", s.token_id, e.what());
      return false;
    }
  });
}

void RoomServer::measure_rates() {
  const auto now = Clock::now();
  const double dt = std::chrono::duration<double>(now - rates_measured_at_).count();
  const auto& counters = state_.counters;
  if (rates_measured_at_ != Clock::time_point{} && dt > 0) {
    const auto clients = std::max<std::size_t>(client_count(), 1);
    state_.rates.snapshots_per_client =
        static_cast<double>(counters.snapshots_sent - counted_at_last_second_.snapshots_sent) / dt /
        static_cast<double>(clients);
    state_.rates.bytes_out = static_cast<double>(counters.bytes_sent - counted_at_last_second_.bytes_sent) / dt;
  }
  counted_at_last_second_ = counters;
  rates_measured_at_ = now;
}

}  // namespace lodestone::room
