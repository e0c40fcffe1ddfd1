#pragma once
// Saving and resuming the live model: the trainer thread writes the files, this thread
// records the row and applies the retention rule.
#include "learning/checkpoint_store.h"
#include "learning/trainer.h"
#include "store/database.h"

#include <filesystem>
#include <optional>

namespace lodestone::server {

// Saves the trainer's model now; returns the new checkpoint's id.
std::int64_t save_checkpoint(learning::Trainer& trainer, store::Database& db,
                             const std::filesystem::path& data_dir, std::int64_t dataset_id,
                             std::size_t keep);

// Loads the newest checkpoint of the dataset into `learner`, if there is a usable one;
// returns the step it resumed from (0 for a fresh start). A checkpoint that does not
// fit the model (other classes or shape) is reported and skipped.
std::uint64_t resume_latest(learning::Learner& learner, store::Database& db,
                            const std::filesystem::path& data_dir, std::int64_t dataset_id);

// The encoder width the dataset's newest checkpoint was saved with, where it says.
std::optional<int> latest_encoder_channels(store::Database& db, const std::filesystem::path& data_dir,
                                           std::int64_t dataset_id);

}  // namespace lodestone::server
