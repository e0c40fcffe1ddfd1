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
#include "annotation/label_store.h"
#include "lodestone/messages.h"
#include "store/database.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lodestone::room {

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
  ~IntentWriter();  // finishes the queued intents, then stops
  IntentWriter(const IntentWriter&) = delete;
  IntentWriter& operator=(const IntentWriter&) = delete;

  void submit(IntentJob job);
  // The outcomes finished since the last call, in submission order.
  std::vector<IntentOutcome> take_finished();
  // Waits until every submitted intent is finished (before the room thread writes to the
  // store itself, so its change cannot overtake an intent received earlier).
  void wait_idle();
  std::size_t queued() const;

 private:
  void loop();
  IntentOutcome decide(const IntentJob& job);
  void store(const IntentJob& job, IntentOutcome& out);
  void label_inside(const IntentJob& job, const Sphere& sphere, bool erase, IntentOutcome& out);

  store::Database db_;
  std::int64_t dataset_id_;
  const std::vector<ItemId>& item_ids_;
  Box room_;

  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<IntentJob> queue_;
  std::vector<IntentOutcome> finished_;
  std::size_t busy_ = 0;  // taken from the queue, not yet finished
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lodestone::room
