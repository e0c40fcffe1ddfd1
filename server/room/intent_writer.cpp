// Annotation intents: checked against the sender's role, decided on the positions shown
// when they arrived, stored in one transaction each, on the writer's own thread.
#include "room/intent_writer.h"

#include "annotation/label_batches.h"
#include "annotation/sphere_store.h"
#include "lodestone/sphere_geometry.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace lodestone::room {
namespace {

// The items inside `sphere` on the positions clients were shown when the intent arrived:
// what the annotator saw inside, wherever the points have glided since.
std::vector<std::uint32_t> shown_inside(const IntentJob& job, const Sphere& sphere) {
  static const std::vector<Vec3> nothing_shown;
  return points_inside(job.shown ? *job.shown : nothing_shown, sphere.center, sphere.radius);
}

bool finite(Vec3 v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

IntentResult accepted(const Intent& intent, SphereId sphere, std::size_t items) {
  return {intent.intent_id, sphere, static_cast<std::uint32_t>(items), std::nullopt};
}

}  // namespace

IntentResult intent_refused(const Intent& intent, RefusalCode code, std::string reason) {
  return {intent.intent_id, intent.sphere_id, 0, Refusal{code, std::move(reason)}};
}

IntentWriter::IntentWriter(store::Database db, std::int64_t dataset_id, const std::vector<ItemId>& item_ids, Box room)
    : db_(std::move(db)), dataset_id_(dataset_id), item_ids_(item_ids), room_(room) {
  // A label checks a foreign key per row (the item's row, 800 bytes of pixels each at
  // MNIST size) and grows three indexes: with SQLite's default 2 MB page cache those pages
  // are read again for every label; 64 MB keeps a 70k-item room's pages at hand (a 40k-item
  // label stores ~30% faster).
  db_.exec("PRAGMA cache_size = -65536");
  for (std::size_t i = 0; i < item_ids_.size(); ++i) index_of_.emplace(item_ids_[i], static_cast<std::uint32_t>(i));
  load_labels();
  thread_ = std::thread([this] { loop(); });
}

IntentWriter::~IntentWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void IntentWriter::load_labels() {
  current_.assign(item_ids_.size(), kNoClass);
  for (const auto& [item, cls] : annotation::current_labels(db_, dataset_id_)) {
    if (auto at = index_of_.find(item); at != index_of_.end()) current_[at->second] = cls;
  }
}

void IntentWriter::submit(IntentJob job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

std::vector<IntentOutcome> IntentWriter::take_finished() {
  std::vector<IntentOutcome> out;
  std::lock_guard lock(mutex_);
  out.swap(finished_);
  return out;
}

void IntentWriter::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return idle(); });
}

bool IntentWriter::wait_idle_for(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, limit, [&] { return idle(); });
}

void IntentWriter::reload_labels() {
  {
    std::lock_guard lock(mutex_);
    reload_labels_ = true;
  }
  wake_.notify_one();
}

std::size_t IntentWriter::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + busy_;
}

void IntentWriter::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto ready = [&] { return stopping_ || !queue_.empty() || reload_labels_ || history_pending_; };
    if (idle()) idle_.notify_all();
    if (history_stalled_) {
      // A full disk: try the history again in a while (or when an intent commits).
      if (!wake_.wait_for(lock, std::chrono::seconds(5), [&] { return stopping_ || !queue_.empty() || reload_labels_; })) {
        history_stalled_ = false;
        history_pending_ = true;
      }
    } else {
      wake_.wait(lock, ready);
    }
    if (reload_labels_) {
      reload_labels_ = false;
      lock.unlock();
      try {
        load_labels();
      } catch (const std::exception& e) {
        spdlog::error("annotation writer: could not re-read the labels: {}", e.what());
      }
      lock.lock();
      continue;
    }
    if (!queue_.empty()) {
      IntentJob job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      lock.unlock();
      IntentOutcome outcome = decide(job);
      lock.lock();
      if (!outcome.written.empty()) {
        history_pending_ = true;  // and a commit just succeeded: room for the history again
        history_stalled_ = false;
      }
      finished_.push_back(std::move(outcome));
      --busy_;
      continue;
    }
    if (history_pending_ && !history_stalled_) {
      // Only while no intent waits: an acknowledgement never queues behind history.
      lock.unlock();
      const bool more = write_history_chunk();
      lock.lock();
      if (!more) history_pending_ = false;
      continue;
    }
    if (stopping_) return;  // every queued intent is finished, its history written
  }
}

void IntentWriter::remember(const std::vector<annotation::LabelChange>& written) {
  for (const auto& change : written) {
    if (auto at = index_of_.find(change.item_id); at != index_of_.end()) current_[at->second] = change.class_id;
  }
}

bool IntentWriter::write_history_chunk() {
  // Small chunks: an intent arriving meanwhile waits for one chunk at most. The history is
  // derived from batches already durable, so its commits need not wait for the disk; the
  // next acknowledgement's commit syncs them with it.
  constexpr std::size_t kChunk = 512;
  try {
    db_.exec("PRAGMA synchronous = NORMAL");
    const std::size_t written = annotation::apply_label_batches(db_, kChunk);
    db_.exec("PRAGMA synchronous = FULL");
    return written > 0;
  } catch (const std::exception& e) {
    db_.exec("PRAGMA synchronous = FULL");
    // The batches stay: nothing acknowledged is lost, and the history is retried.
    spdlog::error("annotation writer: the per-item history of acknowledged labels cannot be written now "
                  "(it stays queued in the store and is retried): {}", store::client_reason(e));
    std::lock_guard lock(mutex_);
    history_stalled_ = true;
    return false;
  }
}

IntentOutcome IntentWriter::decide(const IntentJob& job) {
  IntentOutcome out;
  out.session_serial = job.session_serial;
  out.user = job.user;
  out.kind = job.intent.kind;
  if (job.decided) {
    out.result = *job.decided;
    return out;
  }
  try {
    store(job, out);
  } catch (const std::exception& e) {
    // Nothing was committed (the transaction rolled back), so nothing is acknowledged;
    // the client hears the cause without the server's SQL.
    out = {job.session_serial, job.user, job.intent.kind, {}, e.what(), {}, {}, {}};
    out.result = intent_refused(job.intent, RefusalCode::StorageFailure,
                         "the server could not store this: " + store::client_reason(e));
  }
  return out;
}

void IntentWriter::store(const IntentJob& job, IntentOutcome& out) {
  const Intent& intent = job.intent;
  if (job.role == Role::Viewer) {
    out.result = intent_refused(intent, RefusalCode::Forbidden, "viewers cannot change the room");
    return;
  }
  if (intent.kind == IntentKind::Undo) {
    // Undo reads the per-item history of the action it reverts: write it first.
    annotation::apply_all_label_batches(db_);
    store::Transaction tx(db_);
    out.written = annotation::undo_last_action(db_, job.user);
    tx.commit();
    remember(out.written);
    out.result = out.written.empty() ? intent_refused(intent, RefusalCode::NotFound, "nothing of yours to undo")
                                     : accepted(intent, 0, out.written.size());
    return;
  }

  const float max_radius = room_.max.x - room_.min.x;
  if (intent.kind == IntentKind::CreateSphere) {
    if (!finite(intent.center) || !(intent.radius > 0) || intent.radius > max_radius) {
      out.result = intent_refused(intent, RefusalCode::Malformed,
                           "a sphere needs a finite centre and a radius in (0, " + std::to_string(max_radius) + "]");
      return;
    }
    out.sphere_changed = annotation::create_sphere(db_, dataset_id_, job.user, intent.center, intent.radius);
    out.result = accepted(intent, out.sphere_changed->id, 0);
    return;
  }

  auto sphere = annotation::find_sphere(db_, intent.sphere_id);
  if (!sphere) {
    out.result = intent_refused(intent, RefusalCode::NotFound, "sphere " + std::to_string(intent.sphere_id) + " does not exist");
    return;
  }
  if (job.role != Role::Lead && sphere->owner_id != job.user) {
    out.result = intent_refused(intent, RefusalCode::Forbidden, "annotators may change only their own spheres");
    return;
  }
  switch (intent.kind) {
    case IntentKind::MoveSphere:
      if (!finite(intent.center)) {
        out.result = intent_refused(intent, RefusalCode::Malformed, "the centre must be finite");
        return;
      }
      sphere->center = intent.center;
      break;
    case IntentKind::ResizeSphere:
      if (!(intent.radius > 0) || intent.radius > max_radius) {
        out.result = intent_refused(intent, RefusalCode::Malformed, "the radius must be in (0, " + std::to_string(max_radius) + "]");
        return;
      }
      sphere->radius = intent.radius;
      break;
    case IntentKind::DeleteSphere:
      annotation::delete_sphere(db_, sphere->id);
      out.sphere_removed = sphere->id;
      out.result = accepted(intent, sphere->id, 0);
      return;
    case IntentKind::AssignClass:
      if (!job.class_known) {
        out.result = intent_refused(intent, RefusalCode::NotFound, "class " + std::to_string(intent.class_id) + " is not in the label set");
        return;
      }
      label_inside(job, *sphere, false, out);
      return;
    case IntentKind::EraseLabels:
      label_inside(job, *sphere, true, out);
      return;
    case IntentKind::AcceptPredictions:
      accept_inside(job, *sphere, out);
      return;
    default:
      out.result = intent_refused(intent, RefusalCode::Malformed, "unknown intent");
      return;
  }
  annotation::update_sphere(db_, *sphere);  // a move or a resize
  out.sphere_changed = *sphere;
  out.result = accepted(intent, sphere->id, 0);
}

void IntentWriter::label_inside(const IntentJob& job, const Sphere& sphere, bool erase, IntentOutcome& out) {
  const Intent& intent = job.intent;
  const auto inside = shown_inside(job, sphere);
  // Only the items whose label changes: the history records changes.
  const ClassId target = erase ? kNoClass : intent.class_id;
  std::vector<ItemId> changed;
  changed.reserve(inside.size());
  for (auto index : inside) {
    if (index < current_.size() && current_[index] != target) changed.push_back(item_ids_[index]);
  }

  Sphere updated = sphere;
  if (!erase) updated.class_id = intent.class_id;
  const auto started = std::chrono::steady_clock::now();
  store::Transaction tx(db_);
  const auto action = annotation::record_action(
      db_, job.user, erase ? "label.erase" : "label.assign",
      "sphere " + std::to_string(sphere.id) + ", " + std::to_string(inside.size()) + " items");
  annotation::store_label_batch(db_, dataset_id_, job.user, sphere.id, target, action, changed);
  if (!erase) annotation::update_sphere(db_, updated);
  tx.commit();  // durable from here: only now may anyone hear of it
  if (const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      took > 0.1) {
    spdlog::info("annotation writer: {} of {} items took {:.0f} ms to store", erase ? "an erase" : "a label",
                 changed.size(), took * 1000);
  }
  out.written.reserve(changed.size());
  for (ItemId item : changed) out.written.push_back({item, target});
  remember(out.written);

  if (!erase) out.sphere_changed = updated;
  out.result = accepted(intent, sphere.id, out.written.size());
}

void IntentWriter::accept_inside(const IntentJob& job, const Sphere& sphere, IntentOutcome& out) {
  const Intent& intent = job.intent;
  const auto& accept = job.accept;
  if (!accept || !accept->predicted || accept->predicted->empty()) {
    out.result = intent_refused(intent, RefusalCode::NotFound, "the model has no predictions yet; label by hand first");
    return;
  }
  const auto inside = shown_inside(job, sphere);
  if (inside.empty()) {
    out.result = intent_refused(intent, RefusalCode::NotFound, "the sphere holds no items");
    return;
  }
  // Only unlabelled items: a person's label is never overwritten by the model's.
  const auto& predicted = *accept->predicted;
  std::map<ClassId, std::vector<ItemId>> by_class;
  std::size_t unlabelled = 0, accepted_items = 0;
  float most_confident = 0;
  for (auto index : inside) {
    if (index >= current_.size() || index >= predicted.size() || current_[index] != kNoClass) continue;
    ++unlabelled;
    const auto& p = predicted[index];
    if (p.class_index < 0 || static_cast<std::size_t>(p.class_index) >= accept->class_ids.size()) continue;
    most_confident = std::max(most_confident, p.confidence);
    if (p.confidence < accept->threshold) continue;
    by_class[accept->class_ids[static_cast<std::size_t>(p.class_index)]].push_back(item_ids_[index]);
    ++accepted_items;
  }
  if (unlabelled == 0) {
    out.result = intent_refused(intent, RefusalCode::NotFound,
                                "every item in the sphere is labelled already; accepting labels only unlabelled items");
    return;
  }
  if (accepted_items == 0) {
    char reason[200];
    std::snprintf(reason, sizeof reason,
                  "no unlabelled item in the sphere reaches the acceptance threshold of %.2f (the most confident: %.2f)",
                  accept->threshold, most_confident);
    out.result = intent_refused(intent, RefusalCode::Failed, reason);
    return;
  }
  // One action, one batch per class: undone together, stored in one transaction.
  store::Transaction tx(db_);
  const auto action = annotation::record_action(
      db_, job.user, "label.accept",
      "sphere " + std::to_string(sphere.id) + ", " + std::to_string(accepted_items) + " of " +
          std::to_string(inside.size()) + " items, threshold " + std::to_string(accept->threshold));
  for (const auto& [cls, items] : by_class) {
    annotation::store_label_batch(db_, dataset_id_, job.user, sphere.id, cls, action, items,
                                  annotation::LabelOrigin::Accepted);
  }
  tx.commit();  // durable from here: only now may anyone hear of it
  out.written.reserve(accepted_items);
  for (const auto& [cls, items] : by_class) {
    for (ItemId item : items) out.written.push_back({item, cls, annotation::LabelOrigin::Accepted});
  }
  remember(out.written);
  out.result = accepted(intent, sphere.id, out.written.size());
}

}  // namespace lodestone::room
