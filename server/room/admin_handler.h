#pragma once
// The console's requests: status for every role, the lead's operations for leads only
// (refused and logged for anyone else). Quick ones run here on the room thread; long ones
// (checkpoints, import, export) go to the AdminOperations and answer later, through an
// outbox the room delivers from its own thread.
#include "room/admin_operations.h"
#include "room/intent_handler.h"
#include "room/room_state.h"
#include "room/sessions.h"

#include <functional>
#include <mutex>

namespace lodestone::room {

class AdminHandler {
 public:
  // What a console request changes beyond the handler: sessions to check again (a token
  // revoked), predictions to tell again (the acceptance threshold).
  struct Hooks {
    std::function<void()> check_sessions;
    std::function<void()> tell_predictions;
  };

  AdminHandler(RoomState& room, Sessions& sessions, IntentHandler& intents, Hooks hooks)
      : room_(room), sessions_(sessions), intents_(intents), hooks_(std::move(hooks)) {}

  // Where the operations that run off the room thread go; none: they are refused.
  void set_operations(AdminOperations* operations) { operations_ = operations; }

  void handle(Session& session, const StatusRequest& request);
  void handle(Session& session, const ListRequest& request);
  void handle(Session& session, const ClassCommand& command);
  void handle(Session& session, const CheckpointCommand& command);
  void handle(Session& session, const TrainingCommand& command);
  void handle(Session& session, const TokenCommand& command);
  void handle(Session& session, const ResolveConflict& request);
  void handle(Session& session, const VoiceCommand& command);
  void handle(Session& session, const ImportRequest& request);
  void handle(Session& session, const ExportRequest& request);

  // The answer to a request whose handler failed (a store that cannot be read).
  void fail(Session& session, std::uint64_t request_id, const std::string& why);
  // Sends the replies the operations' threads left in the outbox.
  void deliver_deferred_replies();

 private:
  bool lead_only(Session& session, std::uint64_t request_id, const char* what);
  void reply(Session& session, const AdminResult& result);
  AdminReply deferred_reply(const Session& session);
  ListReply list(const ListRequest& request);
  std::vector<ClassCountRow> class_counts() const;
  void set_acceptance_threshold(float threshold);
  void record_admin_action(const Session& session, const std::string& action, const std::string& detail);

  RoomState& room_;
  Sessions& sessions_;
  IntentHandler& intents_;
  Hooks hooks_;
  AdminOperations* operations_ = nullptr;
  std::mutex outbox_mutex_;  // deferred replies, from the operations' threads
  std::vector<std::pair<std::uint64_t, Bytes>> outbox_;
};

}  // namespace lodestone::room
