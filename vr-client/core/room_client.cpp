#include "core/room_client.h"

#include "core/math3d.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace lodestone::client {

RoomClient::RoomClient(ConnectOptions options)
    : options_(std::move(options)), started_(std::chrono::steady_clock::now()) {}

RoomClient::~RoomClient() { disconnect(); }

double RoomClient::local_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

bool RoomClient::connect(int timeout_ms) {
  host_ = net::create_client_host(error_);
  if (!host_) return false;
  ENetAddress address{};
  if (enet_address_set_host(&address, options_.host.c_str()) != 0) {
    error_ = "cannot resolve " + options_.host;
    return false;
  }
  address.port = options_.port;
  peer_ = enet_host_connect(host_.get(), &address, kChannelCount, 0);
  if (peer_ == nullptr) {
    error_ = "cannot start a connection";
    return false;
  }
  ENetEvent event;
  if (enet_host_service(host_.get(), &event, static_cast<enet_uint32>(timeout_ms)) <= 0 ||
      event.type != ENET_EVENT_TYPE_CONNECT) {
    error_ = "no Lodestone server answered at " + options_.host + ":" + std::to_string(options_.port);
    enet_peer_reset(peer_);
    peer_ = nullptr;
    return false;
  }
  state_ = ConnectionState::Connecting;
  net::send_message(peer_, kControlChannel,
                    Hello{kProtocolVersion, options_.kind, options_.token, options_.name,
                          options_.cached_thumbnails_hash});
  return true;
}

void RoomClient::disconnect() {
  if (peer_ != nullptr && state_ != ConnectionState::Disconnected) {
    enet_peer_disconnect(peer_, 0);
    ENetEvent event;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    while (std::chrono::steady_clock::now() < deadline && enet_host_service(host_.get(), &event, 20) >= 0) {
      if (event.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(event.packet);
      if (event.type == ENET_EVENT_TYPE_DISCONNECT) break;
    }
  }
  peer_ = nullptr;
  if (state_ != ConnectionState::Refused) state_ = ConnectionState::Disconnected;
}

void RoomClient::poll(int timeout_ms) {
  if (!host_) return;
  // Draining stops after kMostPollTime: while a large room's thumbnails stream in, the
  // messages may not run out for a long while, and the frame that called would wait for
  // them. What is left waits in ENet for the next poll.
  constexpr auto kMostPollTime = std::chrono::milliseconds(4);
  ENetEvent event;
  int wait = timeout_ms;
  std::optional<std::chrono::steady_clock::time_point> draining_since;
  while ((!draining_since || std::chrono::steady_clock::now() - *draining_since < kMostPollTime) &&
         enet_host_service(host_.get(), &event, static_cast<enet_uint32>(wait)) > 0) {
    wait = 0;
    if (!draining_since) draining_since = std::chrono::steady_clock::now();
    if (event.type == ENET_EVENT_TYPE_RECEIVE) {
      const auto length = event.packet->dataLength;
      auto decoded = decode_message(std::span(event.packet->data, length));
      enet_packet_destroy(event.packet);
      if (decoded && std::holds_alternative<Predictions>(*decoded)) scene_.prediction_bytes_received += length;
      if (decoded) {
        on_message(*decoded);
      } else {
        error_ = "the server sent an unreadable message: " + decoded.error().describe();
      }
    } else if (event.type == ENET_EVENT_TYPE_DISCONNECT) {
      peer_ = nullptr;
      if (state_ != ConnectionState::Refused) state_ = ConnectionState::Disconnected;
      return;
    }
  }
}

const ConsoleReplies* RoomClient::replies(std::uint64_t request_id) const {
  const auto it = replies_.find(request_id);
  return it == replies_.end() ? nullptr : &it->second;
}

void RoomClient::send_voice(const VoiceFrame& frame) {
  if (peer_) net::send_message(peer_, kVoiceChannel, frame);
}

std::vector<VoiceFrame> RoomClient::take_voice() { return std::exchange(voice_in_, {}); }

std::optional<ClipData> RoomClient::take_clip(std::uint64_t request_id) {
  const auto it = clips_.find(request_id);
  if (it == clips_.end()) return std::nullopt;
  auto clip = std::move(it->second);
  clips_.erase(it);
  return clip;
}

void RoomClient::on_message(Message& message) {
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, Welcome>) {
          scene_.me = m;
          state_ = ConnectionState::Joined;
        } else if constexpr (std::is_same_v<M, Refusal>) {
          refusal_ = m;
          error_ = m.message;
          state_ = ConnectionState::Refused;
        } else if constexpr (std::is_same_v<M, DatasetDescription>) {
          scene_.dataset = m;
          focused_at_.reset();
          scene_.labels.clear();
          ++scene_.labels_version;
          scene_.spheres.clear();
          const std::size_t tile = std::size_t{m.width} * m.height * m.channels;
          if (m.thumbnails_hash == options_.cached_thumbnails_hash &&
              options_.cached_thumbnails.size() == m.thumbnails_bytes && m.thumbnails_bytes > 0) {
            // The server sends none: ours are the room's.
            scene_.thumbnails.fill(m.thumbnails_hash, m.item_count, tile, std::move(options_.cached_thumbnails));
            scene_.thumbnail_bytes_received = static_cast<std::size_t>(m.thumbnails_bytes);
            scene_.thumbnails_from_cache = true;
          } else {
            scene_.thumbnails.reset(m.thumbnails_hash, m.item_count, tile);
            scene_.thumbnail_bytes_received = 0;
            scene_.thumbnails_from_cache = false;
          }
          options_.cached_thumbnails = {};
        } else if constexpr (std::is_same_v<M, LabelSet>) {
          scene_.label_set = m;
        } else if constexpr (std::is_same_v<M, SphereUpdate>) {
          scene_.spheres[m.sphere.id] = m.sphere;
        } else if constexpr (std::is_same_v<M, SphereRemoved>) {
          scene_.spheres.erase(m.sphere_id);
        } else if constexpr (std::is_same_v<M, LabelsChanged>) {
          ++scene_.labels_version;
          if (m.full) scene_.labels.clear();
          for (const auto& l : m.labels) {
            if (l.class_id == kNoClass) scene_.labels.erase(l.item_index);
            else scene_.labels[l.item_index] = l.class_id;
          }
        } else if constexpr (std::is_same_v<M, Snapshot>) {
          on_snapshot(m);
        } else if constexpr (std::is_same_v<M, ThumbnailTiles>) {
          // Never trust the items: each tile must fall inside the announced set.
          std::string why;
          if (scene_.thumbnails.apply(m, why)) {
            scene_.thumbnail_bytes_received = scene_.thumbnails.held() * scene_.thumbnails.tile_bytes();
          } else if (!thumbnail_warned_) {
            thumbnail_warned_ = true;
            std::fprintf(stderr, "thumbnails from the server ignored: %s\n", why.c_str());
          }
        } else if constexpr (std::is_same_v<M, IntentResult>) {
          results_[m.intent_id] = m;
        } else if constexpr (std::is_same_v<M, Presence>) {
          scene_.others[m.user_id] = m;
        } else if constexpr (std::is_same_v<M, TrainingStatus>) {
          scene_.training = m;
        } else if constexpr (std::is_same_v<M, AdminResult>) {
          replies_[m.request_id].result = m;
        } else if constexpr (std::is_same_v<M, ListReply>) {
          replies_[m.request_id].list = std::move(m);
        } else if constexpr (std::is_same_v<M, ServerStatus>) {
          replies_[m.request_id].status = m;
        } else if constexpr (std::is_same_v<M, OperationProgress>) {
          replies_[m.request_id].progress.push_back(m);
        } else if constexpr (std::is_same_v<M, ItemDetails>) {
          replies_[m.request_id].details = std::move(m);
        } else if constexpr (std::is_same_v<M, VoiceFrame>) {
          if (voice_in_.size() >= 1000) voice_in_.erase(voice_in_.begin(), voice_in_.begin() + 500);  // nobody listens
          voice_in_.push_back(std::move(m));
        } else if constexpr (std::is_same_v<M, ClipData>) {
          clips_[m.request_id] = std::move(m);
        } else if constexpr (std::is_same_v<M, RecentTraining>) {
          scene_.recent_training = std::move(m);
        } else if constexpr (std::is_same_v<M, Predictions>) {
          on_predictions(m);
        }
      },
      message);
}

void RoomClient::on_predictions(const Predictions& predictions) {
  auto& held = scene_.predictions;
  const std::size_t items = scene_.dataset ? scene_.dataset->item_count : 0;
  if (predictions.full || held.size() != items) {
    held.assign(items, ItemPrediction{});
    for (std::size_t i = 0; i < items; ++i) held[i].item_index = static_cast<std::uint32_t>(i);
  }
  for (const auto& p : predictions.items) {
    if (p.item_index < held.size()) held[p.item_index] = p;  // an index past the dataset is ignored
  }
  scene_.acceptance_threshold = predictions.acceptance_threshold;
  ++scene_.predictions_version;
}

void RoomClient::on_snapshot(const Snapshot& snapshot) {
  // A snapshot we cannot decode (its base gone) is dropped unacknowledged: the server
  // encodes against what we acknowledged, or sends a keyframe once we stop.
  const auto held = [&](std::uint64_t seq) -> const QuantisedCloud* {
    const auto it = clouds_.find(seq);
    return it == clouds_.end() ? nullptr : &it->second;
  };
  const QuantisedCloud* base = nullptr;
  const QuantisedCloud* previous = nullptr;
  if (snapshot.base_seq != 0) {
    base = held(snapshot.base_seq);
    if (base == nullptr) return;
    if (const auto gap = frame_prediction_gap(snapshot.encoded); gap != 0) {
      if (gap >= snapshot.base_seq || (previous = held(snapshot.base_seq - gap)) == nullptr) return;
    }
  }
  auto cloud = decode_frame(snapshot.encoded, base, previous);
  if (!cloud) {
    error_ = "snapshot " + std::to_string(snapshot.seq) + " refused: " + cloud.error().message;
    return;
  }
  ++snapshots_received_;
  snapshot_bytes_ += snapshot.encoded.size();
  const double server_time = static_cast<double>(snapshot.server_time_us) * 1e-6;
  const double offset = server_time - local_seconds();
  if (!have_offset_ || offset < clock_offset_) clock_offset_ = offset, have_offset_ = true;
  snapshots_.add(snapshot.seq, server_time, dequantise(*cloud));
  clouds_[snapshot.seq] = std::move(*cloud);
  while (clouds_.size() > 48) clouds_.erase(clouds_.begin());
  scene_.has_keyframe = true;
  if (peer_ != nullptr) net::send_message(peer_, kControlChannel, SnapshotAck{snapshot.seq});
}

std::uint64_t RoomClient::send_intent(Intent intent) {
  intent.intent_id = next_intent_++;
  if (peer_ != nullptr) net::send_message(peer_, kControlChannel, intent);
  return intent.intent_id;
}

std::optional<IntentResult> RoomClient::result(std::uint64_t intent_id) const {
  const auto it = results_.find(intent_id);
  if (it == results_.end()) return std::nullopt;
  return it->second;
}

void RoomClient::send_presence(const Pose& head, const Pose& left, const Pose& right) {
  if (peer_ == nullptr) return;
  Presence p;
  p.head = head;
  p.left_hand = left;
  p.right_hand = right;
  net::send_message(peer_, kPresenceChannel, p);
}

void RoomClient::focus_thumbnails(Vec3 viewer) {
  if (peer_ == nullptr || !scene_.dataset || snapshots_.empty() || scene_.thumbnails.complete()) return;
  const auto now = std::chrono::steady_clock::now();
  if (focused_at_ && (length(viewer - *focused_at_) < kRefocusMetres || now - focused_when_ < std::chrono::seconds(1))) {
    return;
  }
  focused_at_ = viewer;
  focused_when_ = now;
  net::send_message(peer_, kControlChannel, ThumbnailFocus{scene_.dataset->thumbnails_hash, viewer});
}

std::uint64_t RoomClient::bytes_received() const { return host_ ? host_->totalReceivedData : 0; }

std::vector<Vec3> RoomClient::positions_now(double delay_seconds) const {
  return snapshots_.sample(local_seconds() + clock_offset_ - delay_seconds);
}

}  // namespace lodestone::client
