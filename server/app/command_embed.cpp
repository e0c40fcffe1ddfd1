#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/server_context.h"
#include "export/export_writers.h"
#include "learning/learner.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>


namespace lodestone::server {

// Writes latent and room coordinates of every item as CSV, from the newest checkpoint.
int command_embed(const Args& args) {
  const auto out_path = args.option("out");
  if (!out_path) throw UsageError("embed needs --out FILE.csv");
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto context = load_learning_context(db, args);
  if (!context) return 1;
  const auto config =
      model_config(args, *context, latest_encoder_channels(db, data_dir, context->dataset.id), SavedWidth::MustMatch);
  learning::Learner learner(config, context->items.pixels, context->item_count());
  if (resume_latest(learner, db, data_dir, context->dataset.id) == 0) {
    spdlog::warn("embedding with an untrained model");
  }
  const auto latent = learner.embed(0, learner.item_count());
  const auto room = learning::map_to_room(latent, room_box(args));
  try {
    exporting::write_embedding_csv(context->items.item_ids, latent, room, *out_path, /*overwrite=*/true);
  } catch (const std::exception& e) {
    spdlog::error("cannot write {}: {}", *out_path, e.what());
    return 1;
  }
  spdlog::info("wrote {} items' coordinates to {}", latent.size(), *out_path);
  return 0;
}

}  // namespace lodestone::server
