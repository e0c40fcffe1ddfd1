#pragma once
// The trainer thread: owns the Learner, trains continuously, and every refresh embeds
// the items, aligns the embedding to the previous one and maps it into the room. The
// network loop never waits on it: it reads the newest published embedding and hands
// over labels and jobs through small locked queues.
#include "learning/learner.h"
#include "learning/metrics.h"
#include "learning/refresh_plan.h"
#include "learning/training_group.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace lodestone::learning {

class GroupLead;

struct TrainerOptions {
  ModelConfig model;
  Box room{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
  // Refresh often while labels are fresh (the room visibly reacts), rarely otherwise:
  // a full 10k-item refresh costs ~0.15 s of training time.
  double refresh_seconds = 0.25;
  double idle_refresh_seconds = 2.0;
  double fresh_label_seconds = 15.0;
  // A refresh embeds the items a label just touched (up to focus_items) and the next
  // slice_items of a sweep over all (refresh_plan.h): ~40 ms of encoder time instead of
  // 0.1 s for all of 10k items and 1 s for 100k, so training keeps the cores.
  std::size_t slice_items = 2048;
  std::size_t focus_items = 2048;
  int steps_per_tick = 5;
  int nice = 10;  // scheduling priority of the training threads (0 = same as the room)
  // This many non-finite steps in a row (each skipped) and the newest checkpoint noted
  // with note_checkpoint is loaded again; the count starts afresh after each restore.
  int restore_after_skipped_steps = 50;
  // Rank 0 of a training group with workers (docs/SCALING.md); none: training alone.
  std::optional<GroupAddress> group;
};

// One published state of the room. Immutable once published.
struct RoomEmbedding {
  std::uint64_t version = 0;  // increases with every publication
  std::uint64_t step = 0;
  std::vector<Vec3> latent;   // the model's latent means (what the classifier sees)
  std::vector<Vec3> aligned;  // latent means aligned to the previous embedding
  std::vector<Vec3> room;     // room coordinates
  std::vector<Prediction> predictions;  // the feature classifier's verdict on each item
  std::vector<std::uint32_t> refreshed_in;  // the version in which each item was last embedded
  Metrics metrics;
};

// One item's new label, as the model counts classes (kUnlabelled: none).
struct LabelUpdate {
  std::uint32_t item = 0;
  int class_index = kUnlabelled;
};

class Trainer {
 public:
  // `truth`: ground-truth class index per item (-1 for none), for metrics only.
  Trainer(TrainerOptions options, std::unique_ptr<Learner> learner, std::vector<int> truth);
  ~Trainer();  // stops the thread
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void start();
  void stop();
  // Paused: no training steps and no refreshes from training; once set_paused(true)
  // returns, latest() stays as it is until a resume or refresh_now.
  void set_paused(bool paused);
  bool paused() const { return paused_; }

  // Every item's label (class index per item, kUnlabelled for none); applied before the
  // next step. Replaces whatever updates are still queued.
  void set_labels(std::vector<int> labels);
  // The labels that changed, applied before the next step after those queued earlier:
  // the room hands over what an acknowledgement changed, not a copy of every label.
  void update_labels(std::vector<LabelUpdate> updates);

  // The label set changed: remaps the classifier's outputs (see Learner::remap_classes),
  // the ground truth (new_of_old: each old class's new position, -1 when gone) and
  // replaces the labels, all in one job, so no step sees new labels with the old classifier.
  std::future<void> change_classes(std::vector<int> old_of_new, std::vector<int> new_of_old, std::vector<int> labels);
  // Runs `job` on the trainer thread between steps (checkpoint, restore, config change).
  std::future<void> run(std::function<void(Learner&)> job);

  // Embeds now (on the trainer thread) and publishes; for start-up and tests.
  std::shared_ptr<const RoomEmbedding> refresh_now();

  std::shared_ptr<const RoomEmbedding> latest() const;
  double samples_per_second() const { return samples_per_second_.load(); }
  const Box& room() const { return options_.room; }  // the box the cloud fills

  // The newest checkpoint on disk (saved or resumed from): what repeated non-finite
  // losses restore.
  void note_checkpoint(std::filesystem::path folder);
  // Times the model was restored after repeated non-finite losses.
  int restores() const { return restores_.load(); }

 private:
  void loop();
  void start_group();             // begins forming the training group (options_.group)
  void join_group_when_formed();  // leads it once every rank has come
  void apply_pending();
  void refresh();
  // `unless_paused`: a training refresh, dropped when a pause came while it was computed
  // (a paused room holds still; refresh_now publishes regardless).
  // Publishes current_; `refreshed`: the items embedded since the last publication
  // (empty: all of them).
  void publish(std::span<const std::size_t> refreshed, bool unless_paused = false);
  void refresh_all(bool unless_paused = false);
  void restore_after_divergence(const StepLosses& losses);

  TrainerOptions options_;
  std::unique_ptr<Learner> learner_;
  std::vector<int> truth_;
  std::vector<int> labels_;
  StepLosses last_losses_;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable wake_;
  std::optional<std::vector<int>> pending_labels_;
  std::vector<LabelUpdate> pending_updates_;
  std::vector<std::packaged_task<void(Learner&)>> jobs_;
  std::shared_ptr<const RoomEmbedding> latest_;
  std::filesystem::path newest_checkpoint_;

  RefreshPlan plan_;
  ModelOutput current_;  // each item as last embedded (empty before the first refresh)
  std::uint64_t current_generation_ = 0;  // the learner's model_generation() current_ came from
  std::vector<std::uint32_t> refreshed_in_;

  std::atomic<bool> running_{false};
  std::atomic<bool> paused_{false};
  std::atomic<double> samples_per_second_{0};
  std::atomic<int> restores_{0};
  std::chrono::steady_clock::time_point labels_changed_at_{};
  std::future<std::shared_ptr<TrainingGroup>> forming_;
  std::unique_ptr<GroupLead> lead_;
  // The items labels touched within fresh_label_seconds, by when: refreshed first.
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::vector<std::size_t>>> recent_touches_;  // the training group, once formed (trainer thread)
  std::thread thread_;
};

}  // namespace lodestone::learning
