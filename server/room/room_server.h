#pragma once
// The room: an ENet host that admits clients by token, keeps every client in sync with
// the authoritative state (spheres, labels, room positions), turns their intents into
// stored annotations, and relays presence. Runs on one thread; intents are stored by the
// annotation writer on its own (room/intent_writer.h), and the trainer runs on its own
// and is only read (newest embedding) or handed label changes.
//
// This class owns the parts and runs the loop: the transport (room/sessions.h), the
// shared state (room/room_state.h), and one handler per concern: joining
// (room/join_handler.h), annotating (room/intent_handler.h), the console
// (room/admin_handler.h). Every packet goes through one dispatch, which checks its size,
// its decoding, its channel and the sender's sign-in before a handler sees it.
#include "learning/trainer.h"
#include "room/admin_handler.h"
#include "room/admin_operations.h"
#include "room/intent_handler.h"
#include "room/voice_relay.h"
#include "room/join_handler.h"
#include "room/room_state.h"
#include "room/sessions.h"
#include "store/database.h"

#include <atomic>
#include <functional>

namespace lodestone::room {

class RoomServer {
 public:
  RoomServer(RoomOptions options, store::Database& db, RoomDataset dataset, learning::Trainer& trainer);
  ~RoomServer();

  // Binds the host; false (with `error`) when the address cannot be used.
  bool listen(std::string& error);
  std::uint16_t port() const { return sessions_.port(); }
  // Serves until `stop` becomes true, then says goodbye to every client. `each_second`
  // runs on this thread about once a second (status logs, checkpoint schedule).
  void run(const std::atomic<bool>& stop, const std::function<void()>& each_second = {});
  std::size_t client_count() const { return sessions_.signed_in(); }
  // Where the lead operations that run off the room thread go; none: they are refused.
  void set_operations(AdminOperations* operations) { admin_.set_operations(operations); }
  const RoomCounters& counters() const { return state_.counters; }

 private:
  // The one dispatch: returns the name of what it handled, for the stall log.
  const char* on_receive(Session& session, const ENetPacket& packet, std::uint8_t channel);
  template <class M>
  void route(Session& session, M& message);
  void take_refresh();
  void tick_snapshots();
  void send_status();
  // Tells every client the predictions that changed since the last time (once a second),
  // and the threshold; `even_if_unchanged`: send the threshold with no changes too.
  void broadcast_predictions(bool even_if_unchanged = false);
  void check_sessions();
  void measure_rates();

  RoomState state_;
  Sessions sessions_;
  JoinHandler join_;
  IntentHandler intents_;
  VoiceRelay voice_;
  AdminHandler admin_;
  std::uint64_t embedding_version_ = 0;
  RoomCounters counted_at_last_second_;
  std::chrono::steady_clock::time_point rates_measured_at_;
};

}  // namespace lodestone::room
