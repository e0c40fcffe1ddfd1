#pragma once
// The room: an ENet host that admits clients by token, keeps every client in sync with
// the authoritative state (spheres, labels, room positions), turns their intents into
// stored annotations, and relays presence. Runs on one thread; intents are stored by the
// annotation writer on its own (room/intent_writer.h), and the trainer runs on its own
// and is only read (newest embedding) or handed labels.
#include "learning/trainer.h"
#include "room/admin_operations.h"
#include "room/intent_writer.h"
#include "lodestone/messages.h"
#include "net/enet_link.h"
#include "annotation/label_store.h"
#include "room/prediction_board.h"
#include "room/snapshot_stream.h"
#include "store/database.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lodestone::room {

struct RoomOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 7777;  // 0: any free port (tests)
  double snapshot_rate = 10;  // per second
  double smoothing_seconds = 0.5;
  double hello_timeout_seconds = 5;
  double idle_timeout_seconds = 60;  // nothing received (not even a snapshot ack) for this long
  std::size_t max_peers = 64;
  std::size_t max_intents_per_second = 50;
  // Accepting predictions labels the items whose confidence reaches this (a lead changes
  // it from the console; the stored value wins over this default).
  float acceptance_threshold = 0.9f;
  Box room{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
};

// The dataset as the room serves it.
struct RoomDataset {
  DatasetDescription description;
  std::vector<ItemId> item_ids;          // by item index
  std::vector<std::uint8_t> thumbnails;  // every item's pixels, by item index
  LabelSet label_set;
  std::vector<int> labels;               // class index per item (-1: unlabelled)
  std::vector<UserId> labelled_by;       // last annotator per item
  std::vector<annotation::LabelOrigin> origins;  // where each standing label came from
  std::vector<int> truth;                // ground-truth class index per item (-1: none), for calibration only
};

struct RoomCounters {
  std::size_t snapshots_sent = 0;
  std::size_t bytes_sent = 0;
  std::size_t annotations_acknowledged = 0;
  std::size_t labelling_acts = 0;  // labels and acceptances acknowledged (the gestures that label)
  std::size_t malformed_packets = 0;
};

// What the room measured over the last second, for the status message.
struct RoomRates {
  double snapshots_per_client = 0;
  double bytes_out = 0;
};

class RoomServer {
 public:
  RoomServer(RoomOptions options, store::Database& db, RoomDataset dataset, learning::Trainer& trainer);
  ~RoomServer();

  // Binds the host; false (with `error`) when the address cannot be used.
  bool listen(std::string& error);
  std::uint16_t port() const;
  // Serves until `stop` becomes true, then says goodbye to every client. `each_second`
  // runs on this thread about once a second (status logs, checkpoint schedule).
  void run(const std::atomic<bool>& stop, const std::function<void()>& each_second = {});
  std::size_t client_count() const;
  // Where the lead operations that run off the room thread go; none: they are refused.
  void set_operations(AdminOperations* operations) { operations_ = operations; }
  const RoomCounters& counters() const { return counters_; }

 private:
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
    std::chrono::steady_clock::time_point last_presence{}, intent_window_start{};
    std::size_t intents_in_window = 0;
    int strikes = 0;
  };

  // What one round of servicing ENet did, for the stall log.
  struct PollStats {
    std::size_t events = 0;
    std::int64_t service_us = 0, longest_service_us = 0;  // inside enet_host_service
    std::int64_t longest_handler_us = 0;                  // inside our handlers
    const char* longest_handler = "none";
  };
  PollStats poll_network(int timeout_ms);
  void on_receive(Session& session, const ENetPacket& packet, std::uint8_t channel);
  // One decoded message from a signed-in client, to its handler.
  template <class M>
  void dispatch(Session& session, M& message);
  void on_hello(Session& session, const Hello& hello);
  void on_intent(Session& session, const Intent& intent);
  void on_presence(Session& session, Presence presence);
  void send_join_state(Session& session, std::uint64_t cached_thumbnails_hash);
  void tick_snapshots();
  void send_status();
  // Tells every client the predictions that changed since the last time (once a second),
  // and the threshold; `even_if_unchanged`: send the threshold with no changes too.
  void broadcast_predictions(bool even_if_unchanged = false);
  void on_inspect(Session& session, const InspectRequest& request);
  void set_acceptance_threshold(float threshold);
  void check_sessions();
  void refuse(Session& session, RefusalCode code, const std::string& message);
  void broadcast(const Bytes& bytes, Channel channel, const Session* except = nullptr);

  // The console's requests (room_admin.cpp). Status is open to every role; the others
  // to leads only, refused and logged for anyone else.
  bool lead_only(Session& session, std::uint64_t request_id, const char* what);
  void on_admin(Session& session, const StatusRequest& request);
  void on_admin(Session& session, const ListRequest& request);
  void on_admin(Session& session, const ClassCommand& command);
  void on_admin(Session& session, const CheckpointCommand& command);
  void on_admin(Session& session, const TrainingCommand& command);
  void on_admin(Session& session, const TokenCommand& command);
  void on_admin(Session& session, const ResolveConflict& request);
  void on_admin(Session& session, const ImportRequest& request);
  void on_admin(Session& session, const ExportRequest& request);
  ListReply list(const ListRequest& request);
  std::vector<ClassCountRow> class_counts() const;
  void record_admin_action(const Session& session, const std::string& action, const std::string& detail);
  void reply(Session& session, const AdminResult& result);
  AdminReply deferred_reply(const Session& session);
  void deliver_deferred_replies();
  void measure_rates();

  // The display positions as a shared copy that label intents carry to the writer.
  std::shared_ptr<const std::vector<Vec3>> shown_positions();
  // Broadcasts and acknowledges what the writer has stored (or refused), in order.
  void deliver_intent_outcomes();
  // Before the room thread writes annotations or classes itself: every intent received
  // earlier is stored and delivered first.
  void finish_queued_intents();
  std::vector<ItemLabel> all_labels() const;
  // Applies stored changes to the room's labels, broadcasts them and hands them to the trainer.
  void publish_stored_labels(UserId user, const std::vector<annotation::LabelChange>& written);

  RoomOptions options_;
  store::Database& db_;
  RoomDataset dataset_;
  learning::Trainer& trainer_;
  net::HostPtr host_;
  std::map<ENetPeer*, Session> sessions_;
  std::map<ItemId, std::uint32_t> index_of_;
  SnapshotStream stream_;
  std::uint64_t embedding_version_ = 0;
  RoomCounters counters_;
  RoomRates rates_;
  RoomCounters counted_at_last_second_;
  std::chrono::steady_clock::time_point started_, rates_measured_at_;
  AdminOperations* operations_ = nullptr;
  std::uint64_t next_serial_ = 1;
  const char* handled_message_ = "none";  // the message being handled, for the stall log
  std::mutex outbox_mutex_;  // deferred replies, from the operations' threads
  std::vector<std::pair<std::uint64_t, Bytes>> outbox_;
  std::shared_ptr<const std::vector<Vec3>> shown_;  // stream_.display() as of now; reset when it moves
  PredictionBoard predictions_;
  // The training figures of the last hour, one a second (time sent, figures): a console
  // joining gets them, so its charts begin before it connected.
  std::deque<std::pair<std::chrono::steady_clock::time_point, TrainingStatus>> training_history_;
  // The model's newest verdict per item (shares the trainer's published embedding): what
  // accepting predictions labels with.
  std::shared_ptr<const std::vector<learning::Prediction>> model_predictions_;
  std::unique_ptr<IntentWriter> writer_;           // last: it refers to dataset_
};

}  // namespace lodestone::room
