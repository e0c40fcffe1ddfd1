#pragma once
// The annotation writer: a thread with its own SQLite connection that decides and stores
// the room's intents one at a time, in the order the room thread received them. Storing
// a big label (tens of thousands of items in one transaction) takes a large fraction of a
// second; on its own thread it no longer holds up snapshots or the other clients.
//
// The room thread hands over each intent with what only it knows at that moment (the
// sender's identity, the positions clients are shown, whether the class exists) and
// later takes back the outcomes, in the same order, each one committed (or refused)
// before it is returned; the room thread then broadcasts and acknowledges it.
//
// A label or an erase commits as one batch row (annotation/label_batches.h), whatever its
// size; the writer decides which items change on its own copy of every item's label, and
// writes the per-item history of the batches in small chunks while no intent waits.
#include "annotation/label_store.h"
#include "learning/learner.h"
#include "lodestone/messages.h"
#include "store/database.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace lodestone::room {

// What accepting predictions needs from the room thread: the model's verdict per item
// when the intent arrived, the threshold, and the class ids by position.
struct AcceptContext {
  std::shared_ptr<const std::vector<learning::Prediction>> predicted;  // null: no model yet
  float threshold = 0.9f;
  std::vector<ClassId> class_ids;
};

struct IntentJob {
  std::uint64_t session_serial = 0;  // where the result goes (if the client is still there)
  UserId user = 0;
  Role role = Role::Viewer;
  Intent intent;
  std::optional<IntentResult> decided;  // already refused on the room thread (rate limit)
  bool class_known = true;              // the class of an AssignClass is in the label set
  // The positions clients were shown when the intent arrived: membership of a label or an
  // erase is decided on these, wherever the points have glided since.
  std::shared_ptr<const std::vector<Vec3>> shown;
  std::optional<AcceptContext> accept;  // AcceptPredictions only
};

struct IntentOutcome {
  std::uint64_t session_serial = 0;
  UserId user = 0;
  IntentKind kind = IntentKind::CreateSphere;
  IntentResult result;
  std::string log_detail;                      // the server-side cause of a storage failure
  std::optional<Sphere> sphere_changed;        // to broadcast as a SphereUpdate
  std::optional<SphereId> sphere_removed;      // to broadcast as a SphereRemoved
  std::vector<annotation::LabelChange> written;  // stored label changes, to publish
};

// The answer that refuses `intent`, wherever it is refused (rate limit on the room thread,
// role, geometry or storage on the writer).
IntentResult intent_refused(const Intent& intent, RefusalCode code, std::string reason);

class IntentWriter {
 public:
  // `db` is the writer's own connection. `item_ids`: item id by item index (outlives the
  // writer, never changes). `room`: bounds the radius a sphere may have.
  IntentWriter(store::Database db, std::int64_t dataset_id, const std::vector<ItemId>& item_ids, Box room);
  ~IntentWriter();  // finishes the queued intents and their history, then stops
  IntentWriter(const IntentWriter&) = delete;
  IntentWriter& operator=(const IntentWriter&) = delete;

  void submit(IntentJob job);
  // The outcomes finished since the last call, in submission order.
  std::vector<IntentOutcome> take_finished();
  // Waits until every submitted intent is finished and its per-item history written
  // (before the room thread reads that history or writes labels itself, so its change
  // cannot overtake an intent received earlier). A history that cannot be written now (a
  // full disk) is not waited for: its batches stay, and are written once there is room.
  void wait_idle();
  // The same, giving up after `limit`; true when idle.
  bool wait_idle_for(std::chrono::milliseconds limit);
  // The room thread changed labels itself (after wait_idle): re-read them before the next intent.
  void reload_labels();
  std::size_t queued() const;

 private:
  void loop();
  bool idle() const { return queue_.empty() && busy_ == 0 && !history_pending_; }  // mutex_ held
  IntentOutcome decide(const IntentJob& job);
  void store(const IntentJob& job, IntentOutcome& out);
  void label_inside(const IntentJob& job, const Sphere& sphere, bool erase, IntentOutcome& out);
  void accept_inside(const IntentJob& job, const Sphere& sphere, IntentOutcome& out);
  void load_labels();
  void remember(const std::vector<annotation::LabelChange>& written);
  // Writes one chunk of pending history; false when none is left or it cannot be written now.
  bool write_history_chunk();

  store::Database db_;
  std::int64_t dataset_id_;
  const std::vector<ItemId>& item_ids_;
  Box room_;
  // Writer thread only: every item's current class by item index (kNoClass: unlabelled),
  // batches not yet in the history included.
  std::vector<ClassId> current_;
  std::unordered_map<ItemId, std::uint32_t> index_of_;

  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<IntentJob> queue_;
  std::vector<IntentOutcome> finished_;
  std::size_t busy_ = 0;  // taken from the queue, not yet finished
  bool history_pending_ = true;  // batches may wait for their per-item history
  bool history_stalled_ = false;  // the last chunk failed (full disk): retried after a pause
  bool reload_labels_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lodestone::room
