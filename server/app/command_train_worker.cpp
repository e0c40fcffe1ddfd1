// `train-worker`: one more rank of a room's (or an offline `train`'s) training group. It
// reads the same dataset from its own data folder, takes rank 0's weights and labels,
// and trains on its own batches, averaging gradients with the others every step.
#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/server_context.h"
#include "app/training_group_args.h"
#include "learning/blas_info.h"
#include "learning/group_training.h"

#include <spdlog/spdlog.h>

namespace lodestone::server {

int command_train_worker(const Args& args) {
  const auto address = group_address(args, std::nullopt);
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  auto context = load_learning_context(db, args);
  if (!context) return 1;
  const auto config = model_config(args, *context, latest_encoder_channels(db, data_dir, context->dataset.id));
  learning::pin_blas_threads(1);
  learning::Learner learner(config, context->items.pixels, context->item_count());
  spdlog::info("training worker: rank {} of {}, dataset {} '{}' ({} items); joining {}:{} (up to {} s)",
               address->rank, address->world, context->dataset.id, context->dataset.name, context->item_count(),
               address->host, address->port, address->timeout.count());
  std::shared_ptr<learning::TrainingGroup> group;
  try {
    group = std::make_shared<learning::TrainingGroup>(*address);
    return learning::follow_group_lead(learner, group);
  } catch (const std::exception& e) {
    spdlog::error("training worker: {}", e.what());
    return 1;
  }
}

}  // namespace lodestone::server
