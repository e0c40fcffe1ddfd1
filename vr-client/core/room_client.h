#pragma once
// The renderer-free client core: one connection to a room, the scene state the server
// says is true, snapshot decoding and acknowledgement, intents and their results. The
// VR client, the desktop client and lodestone-bot all stand on it; it needs no GPU.
#include "core/snapshot_buffer.h"
#include "lodestone/messages.h"
#include "lodestone/point_codec.h"
#include "lodestone/thumbnail_tiles.h"
#include "net/enet_link.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::client {

struct ConnectOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7777;
  std::string token;
  std::string name = "client";
  ClientKind kind = ClientKind::Bot;
  // Thumbnails the client holds (core/thumbnail_cache.h) and their hash: named in the
  // hello, used when the room's are the same, so none are downloaded.
  std::uint64_t cached_thumbnails_hash = 0;
  PageBytes cached_thumbnails{};
};

// Everything the server has told this client, kept as the server sent it.
struct SceneState {
  std::optional<Welcome> me;
  std::optional<DatasetDescription> dataset;
  LabelSet label_set;
  std::map<SphereId, Sphere> spheres;
  std::map<std::uint32_t, ClassId> labels;  // item index → class
  ThumbnailTileSet thumbnails;               // filled tile by tile, nearest the viewer first
  std::size_t thumbnail_bytes_received = 0;  // from the server, or all of them from the cache
  bool thumbnails_from_cache = false;
  std::optional<TrainingStatus> training;
  std::optional<RecentTraining> recent_training;  // a console's join: the room's last hour
  std::map<UserId, Presence> others;
  bool has_keyframe = false;
  std::uint64_t labels_version = 0;  // counts label changes: what draws labels knows when to redo
  // The model's verdict per item (class position in the label set; kNoPrediction before
  // the first), and the room's acceptance threshold.
  std::vector<ItemPrediction> predictions;
  float acceptance_threshold = 0.9f;
  std::uint64_t predictions_version = 0;  // counts prediction messages
  std::uint64_t prediction_bytes_received = 0;
};

// The answers to one console request (admin_messages.h), as they arrived.
struct ConsoleReplies {
  std::optional<AdminResult> result;
  std::optional<ListReply> list;
  std::optional<ServerStatus> status;
  std::optional<ItemDetails> details;  // the answer to an InspectRequest
  std::vector<OperationProgress> progress;
  bool answered() const { return result || list || status || details; }
};

enum class ConnectionState { Connecting, Joined, Refused, Disconnected };

class RoomClient {
 public:
  explicit RoomClient(ConnectOptions options);
  ~RoomClient();
  RoomClient(const RoomClient&) = delete;
  RoomClient& operator=(const RoomClient&) = delete;

  // Connects and sends the hello; false with error() when the server cannot be reached.
  bool connect(int timeout_ms = 3000);
  // Handles what arrived, waiting up to `timeout_ms` for the first event.
  void poll(int timeout_ms = 0);
  // Polls until `done()` or the timeout; true if done.
  template <class Done>
  bool poll_until(Done done, int timeout_ms);
  void disconnect();

  ConnectionState state() const { return state_; }
  const std::string& error() const { return error_; }
  std::optional<Refusal> refusal() const { return refusal_; }
  const SceneState& scene() const { return scene_; }

  // Sends an intent; its result arrives later (result()).
  std::uint64_t send_intent(Intent intent);
  std::optional<IntentResult> result(std::uint64_t intent_id) const;
  void send_presence(const Pose& head, const Pose& left, const Pose& right);
  // While thumbnails are missing, tells the server where the viewer stands (room
  // coordinates), so those of the nearest items come first: on the first call after a
  // snapshot, then when the viewer has moved kRefocusMetres (at most once a second).
  void focus_thumbnails(Vec3 viewer);
  static constexpr float kRefocusMetres = 0.5f;
  // Thumbnails arrived since the last call, at most `most` (for the renderer's atlas).
  std::vector<std::uint32_t> take_fresh_thumbnails(std::size_t most) { return scene_.thumbnails.take_fresh(most); }
  // Sends a console request with a fresh request id (returned); replies() collects the answers.
  template <class Request>
  std::uint64_t send_request(Request request);
  const ConsoleReplies* replies(std::uint64_t request_id) const;
  // The answer to a ClipRequest, once come; taken (a clip is kept by whoever asked).
  std::optional<ClipData> take_clip(std::uint64_t request_id);
  // Voice: ours out on the voice channel; the others' as they came (at most a few seconds
  // are kept for a caller that does not take them).
  void send_voice(const VoiceFrame& frame);
  std::vector<VoiceFrame> take_voice();

  // Room positions to draw now: the server's clock minus `delay` seconds, interpolated.
  std::vector<Vec3> positions_now(double delay_seconds = 0.1) const;
  const std::vector<Vec3>& newest_positions() const { return snapshots_.newest(); }
  bool has_positions() const { return !snapshots_.empty(); }
  std::uint64_t snapshots_received() const { return snapshots_received_; }
  std::uint64_t snapshot_bytes_received() const { return snapshot_bytes_; }
  std::uint64_t bytes_received() const;  // everything, from the connection's start
  std::uint64_t newest_snapshot_seq() const { return snapshots_.newest_seq(); }
  // The server's clock now, as well as this client can tell (seconds).
  double server_seconds_now() const { return local_seconds() + clock_offset_; }
  const SnapshotBuffer& snapshot_buffer() const { return snapshots_; }

 private:
  void on_message(Message& message);
  void on_snapshot(const Snapshot& snapshot);
  void on_predictions(const Predictions& predictions);
  double local_seconds() const;

  ConnectOptions options_;
  net::HostPtr host_;
  ENetPeer* peer_ = nullptr;
  ConnectionState state_ = ConnectionState::Disconnected;
  std::string error_;
  std::optional<Refusal> refusal_;
  SceneState scene_;
  std::map<std::uint64_t, IntentResult> results_;
  std::map<std::uint64_t, ConsoleReplies> replies_;
  std::map<std::uint64_t, ClipData> clips_;
  std::vector<VoiceFrame> voice_in_;
  std::uint64_t next_request_ = 1;
  std::uint64_t next_intent_ = 1;
  std::map<std::uint64_t, QuantisedCloud> clouds_;  // recent decoded snapshots: delta bases
  SnapshotBuffer snapshots_;
  double clock_offset_ = 0;  // server time − local time, smallest seen (least delayed)
  bool have_offset_ = false;
  std::uint64_t snapshots_received_ = 0, snapshot_bytes_ = 0;
  bool thumbnail_warned_ = false;
  std::optional<Vec3> focused_at_;
  std::chrono::steady_clock::time_point focused_when_{};
  std::chrono::steady_clock::time_point started_;
};

template <class Request>
std::uint64_t RoomClient::send_request(Request request) {
  request.request_id = next_request_++;
  if (peer_) net::send_message(peer_, kControlChannel, request);
  return request.request_id;
}

template <class Done>
bool RoomClient::poll_until(Done done, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (state_ == ConnectionState::Refused || state_ == ConnectionState::Disconnected) return done();
    poll(10);
  }
  return true;
}

}  // namespace lodestone::client
