#include "learning/trainer.h"

#include "learning/alignment.h"
#include "learning/group_training.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace lodestone::learning {
namespace {
using Clock = std::chrono::steady_clock;
}

Trainer::Trainer(TrainerOptions options, std::unique_ptr<Learner> learner, std::vector<int> truth)
    : options_(std::move(options)),
      learner_(std::move(learner)),
      truth_(std::move(truth)),
      labels_(learner_->item_count(), kUnlabelled),
      plan_(learner_->item_count(), options_.slice_items, options_.focus_items) {}

Trainer::~Trainer() { stop(); }

void Trainer::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { loop(); });
}

void Trainer::stop() {
  if (!running_.exchange(false)) return;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Trainer::set_paused(bool paused) {
  {
    // Under the lock a training refresh publishes under: once this returns, none lands.
    std::lock_guard lock(mutex_);
    paused_ = paused;
  }
  wake_.notify_all();
}

void Trainer::set_labels(std::vector<int> labels) {
  std::lock_guard lock(mutex_);
  pending_labels_ = std::move(labels);
  pending_updates_.clear();
  wake_.notify_all();
}

void Trainer::update_labels(std::vector<LabelUpdate> updates) {
  if (updates.empty()) return;
  std::lock_guard lock(mutex_);
  pending_updates_.insert(pending_updates_.end(), updates.begin(), updates.end());
  wake_.notify_all();
}

std::future<void> Trainer::run(std::function<void(Learner&)> job) {
  std::packaged_task<void(Learner&)> task(std::move(job));
  auto done = task.get_future();
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(task));
  }
  wake_.notify_all();
  if (!running_) apply_pending();  // no thread yet: run here
  return done;
}

void Trainer::start_group() {
  if (!options_.group) return;
  const auto a = *options_.group;
  spdlog::info("training group: waiting up to {} s for {} worker(s) at {}:{} (training alone meanwhile)",
               a.timeout.count(), a.world - 1, a.host, a.port);
  // The rendezvous blocks until every rank has come: off the trainer thread, so training,
  // checkpoints and the console's jobs go on meanwhile.
  forming_ = std::async(std::launch::async, [a] { return std::make_shared<TrainingGroup>(a); });
}

void Trainer::join_group_when_formed() {
  if (!forming_.valid() || forming_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  try {
    lead_ = std::make_unique<GroupLead>(*learner_, forming_.get());
  } catch (const std::exception& e) {
    spdlog::error("{}; training alone", e.what());
  }
}

std::future<void> Trainer::change_classes(std::vector<int> old_of_new, std::vector<int> new_of_old,
                                          std::vector<int> labels) {
  {
    // These labels supersede any still pending (those use the old class positions).
    std::lock_guard lock(mutex_);
    pending_labels_.reset();
    pending_updates_.clear();
  }
  return run([this, old_of_new = std::move(old_of_new), new_of_old = std::move(new_of_old),
              labels = std::move(labels)](Learner& learner) mutable {
    if (lead_ && lead_->active()) {
      // The classifier's shape changes with the label set: the workers cannot follow.
      spdlog::warn("training group: the label set changed, so the workers stop; restart the room with its workers "
                   "to train as a group again");
      lead_->stop();
    }
    learner.remap_classes(old_of_new);
    labels_ = std::move(labels);
    for (int& t : truth_) {
      if (t >= 0) t = static_cast<std::size_t>(t) < new_of_old.size() ? new_of_old[static_cast<std::size_t>(t)] : -1;
    }
    learner.set_labels(labels_);
    labels_changed_at_ = Clock::now();
  });
}

std::shared_ptr<const RoomEmbedding> Trainer::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void Trainer::apply_pending() {
  std::optional<std::vector<int>> labels;
  std::vector<LabelUpdate> updates;
  std::vector<std::packaged_task<void(Learner&)>> jobs;
  {
    std::lock_guard lock(mutex_);
    labels.swap(pending_labels_);
    updates.swap(pending_updates_);
    jobs.swap(jobs_);
  }
  // Jobs first: a label-set change is queued before the labels that use its positions.
  for (auto& job : jobs) job(*learner_);  // exceptions travel through the future
  if (labels) labels_ = std::move(*labels);
  for (const auto& u : updates) {
    if (u.item < labels_.size()) labels_[u.item] = u.class_index;
  }
  if (labels || !updates.empty()) {
    labels_changed_at_ = Clock::now();
    learner_->set_labels(labels_);
  }
}

std::shared_ptr<const RoomEmbedding> Trainer::refresh_now() {
  if (running_) {
    run([this](Learner&) { refresh_all(); }).wait();
  } else {
    apply_pending();
    refresh_all();
  }
  return latest();
}

void Trainer::refresh_all(bool unless_paused) {
  learner_->take_touched();  // all of them are embedded now
  recent_touches_.clear();
  current_ = learner_->infer(0, learner_->item_count());
  current_generation_ = learner_->model_generation();
  publish({}, unless_paused);
}

void Trainer::loop() {
  // Training yields to the room: at a lower priority (inherited by the LibTorch worker
  // threads this thread starts), the network thread gets a core whenever it needs one,
  // and training takes everything else.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), options_.nice);
  start_group();
  auto last_refresh = Clock::now();
  auto rate_start = Clock::now();
  std::size_t rate_samples = 0;
  while (running_) {
    apply_pending();
    join_group_when_formed();
    if (paused_) {
      if (lead_) lead_->before_steps(0, labels_);  // the workers keep hearing from rank 0
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(100));
      continue;
    }
    if (lead_) lead_->before_steps(options_.steps_per_tick, labels_);
    const auto losses = learner_->train(options_.steps_per_tick);
    if (losses.skipped > 0) restore_after_divergence(losses);
    if (losses.skipped < options_.steps_per_tick) last_losses_ = losses;
    // Paused during those steps: the room keeps what it showed when the pause was asked.
    if (paused_) continue;
    rate_samples += losses.samples;
    const double rate_window = std::chrono::duration<double>(Clock::now() - rate_start).count();
    if (rate_window >= 2.0) {
      samples_per_second_ = static_cast<double>(rate_samples) / rate_window;
      rate_samples = 0;
      rate_start = Clock::now();
    }
    const bool fresh =
        std::chrono::duration<double>(Clock::now() - labels_changed_at_).count() < options_.fresh_label_seconds;
    const double interval = fresh ? options_.refresh_seconds : options_.idle_refresh_seconds;
    if (std::chrono::duration<double>(Clock::now() - last_refresh).count() >= interval) {
      refresh();
      last_refresh = Clock::now();
    }
  }
  if (lead_) lead_->stop();
}

void Trainer::note_checkpoint(std::filesystem::path folder) {
  std::lock_guard lock(mutex_);
  newest_checkpoint_ = std::move(folder);
}

void Trainer::restore_after_divergence(const StepLosses& losses) {
  // Once per restore_after_skipped_steps skipped in a row (the learner counts them, and
  // loading a checkpoint starts its count afresh).
  const int every = std::max(options_.restore_after_skipped_steps, 1);
  const int skipped_in_a_row = losses.skipped_in_a_row;
  const int before_this_tick = std::max(0, skipped_in_a_row - losses.skipped);
  if (skipped_in_a_row < every || before_this_tick / every == skipped_in_a_row / every) return;
  std::filesystem::path folder;
  {
    std::lock_guard lock(mutex_);
    folder = newest_checkpoint_;
  }
  if (folder.empty()) {
    spdlog::error("training: {} steps in a row had a non-finite loss and there is no checkpoint to restore; "
                  "steps are skipped until the loss is finite again", skipped_in_a_row);
    return;
  }
  try {
    learner_->load(folder);
    learner_->set_labels(labels_);
    ++restores_;
    spdlog::error("training: {} steps in a row had a non-finite loss; restored the checkpoint at {} (step {})",
                  skipped_in_a_row, folder.string(), learner_->step());
  } catch (const std::exception& e) {
    spdlog::error("training: {} steps in a row had a non-finite loss and the checkpoint at {} cannot be loaded ({})",
                  skipped_in_a_row, folder.string(), e.what());
  }
}

void Trainer::refresh() {
  const std::size_t n = learner_->item_count();
  // The first refresh, or the model was replaced (a restored checkpoint, a new label set):
  // every item is embedded rather than two models' latents mixed.
  if (current_.latent.size() != n || current_generation_ != learner_->model_generation()) {
    refresh_all(true);
    return;
  }
  // What a label touched keeps coming first while it is fresh: it goes on moving as the
  // model learns it, long after its first refresh.
  const auto now = Clock::now();
  if (auto touched = learner_->take_touched(); !touched.empty()) recent_touches_.emplace_back(now, std::move(touched));
  while (!recent_touches_.empty() &&
         std::chrono::duration<double>(now - recent_touches_.front().first).count() > options_.fresh_label_seconds) {
    recent_touches_.pop_front();
  }
  // Newest first: a new label's items never wait behind an older one's.
  plan_.clear_focus();
  for (auto it = recent_touches_.rbegin(); it != recent_touches_.rend(); ++it) plan_.focus(it->second);
  const auto items = plan_.next();
  if (items.size() == n) {  // a dataset no larger than a slice: all of it, every time
    refresh_all(true);
    return;
  }
  auto fresh = learner_->infer(items);
  for (std::size_t k = 0; k < items.size(); ++k) {
    current_.latent[items[k]] = fresh.latent[k];
    current_.predictions[items[k]] = fresh.predictions[k];
  }
  publish(items, true);
}

void Trainer::publish(std::span<const std::size_t> refreshed, bool unless_paused) {
  auto previous = latest();
  auto next = std::make_shared<RoomEmbedding>();
  next->version = previous ? previous->version + 1 : 1;
  const auto version = static_cast<std::uint32_t>(next->version);
  if (refreshed.empty()) {
    refreshed_in_.assign(current_.latent.size(), version);
  } else {
    for (const auto i : refreshed) refreshed_in_[i] = version;
  }
  next->step = learner_->step();
  next->latent = current_.latent;
  // Items not refreshed keep their latents, so the fit is dominated by them and the
  // cloud holds still but for what the refresh moved.
  next->aligned = previous && previous->aligned.size() == next->latent.size()
                      ? transform_points(procrustes(next->latent, previous->aligned), next->latent)
                      : next->latent;
  next->room = map_to_room(next->aligned, options_.room);
  next->predictions = current_.predictions;
  next->refreshed_in = refreshed_in_;
  next->metrics = measure(next->predictions, next->room, labels_, truth_);
  next->metrics.losses = last_losses_;
  std::lock_guard lock(mutex_);
  if (unless_paused && paused_) return;
  latest_ = std::move(next);
}

}  // namespace lodestone::learning
