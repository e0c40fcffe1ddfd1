#include "app/checkpointing.h"

#include <spdlog/spdlog.h>

namespace lodestone::server {

std::int64_t save_checkpoint(learning::Trainer& trainer, store::Database& db,
                             const std::filesystem::path& data_dir, std::int64_t dataset_id,
                             std::size_t keep) {
  std::string folder;
  std::uint64_t step = 0;
  trainer.run([&](learning::Learner& learner) {
    step = learner.step();
    folder = learning::checkpoint_folder(dataset_id, step);
    learner.save(data_dir / folder);
  }).get();
  trainer.note_checkpoint(data_dir / folder);
  learning::Metrics metrics;
  if (auto latest = trainer.latest()) metrics = latest->metrics;
  const auto id = learning::record_checkpoint(db, dataset_id, folder, step, metrics);
  const auto removed = learning::prune_checkpoints(db, data_dir, dataset_id, keep);
  spdlog::info("checkpoint {} at step {} saved{}", id, step,
               removed ? " (" + std::to_string(removed) + " old one(s) removed)" : "");
  return id;
}

std::uint64_t resume_latest(learning::Learner& learner, store::Database& db,
                            const std::filesystem::path& data_dir, std::int64_t dataset_id) {
  const auto latest = learning::latest_checkpoint(db, dataset_id);
  if (!latest) {
    spdlog::info("no checkpoint for dataset {}: starting from a fresh model", dataset_id);
    return 0;
  }
  try {
    learner.load(data_dir / latest->path);
    spdlog::info("resumed from checkpoint {} (step {}, {})", latest->id, latest->step, latest->created_at);
    return learner.step();
  } catch (const std::exception& e) {
    spdlog::warn("checkpoint {} at {} cannot be used ({}); starting from a fresh model", latest->id,
                 (data_dir / latest->path).string(), e.what());
    return 0;
  }
}

std::optional<int> latest_encoder_channels(store::Database& db, const std::filesystem::path& data_dir,
                                           std::int64_t dataset_id) {
  const auto latest = learning::latest_checkpoint(db, dataset_id);
  if (!latest) return std::nullopt;
  return learning::saved_encoder_channels(data_dir / latest->path);
}

}  // namespace lodestone::server
