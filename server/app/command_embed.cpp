#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/server_context.h"
#include "learning/learner.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>

namespace lodestone::server {

// Writes latent and room coordinates of every item as CSV, from the newest checkpoint.
int command_embed(const Args& args) {
  reject_unknown_with_model_options(args, {"out"});
  const auto out_path = args.option("out");
  if (!out_path) throw UsageError("embed needs --out FILE.csv");
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto context = load_learning_context(db, args);
  if (!context) return 1;
  learning::Learner learner(model_config(args, *context), context->items.pixels, context->item_count());
  if (resume_latest(learner, db, data_dir, context->dataset.id) == 0) {
    spdlog::warn("embedding with an untrained model");
  }
  const auto latent = learner.embed(0, learner.item_count());
  const auto room = learning::map_to_room(latent, learning::TrainerOptions{}.room);
  const std::string temp = *out_path + ".partial";
  {
    std::ofstream out(temp);
    out << "item_id,latent_x,latent_y,latent_z,room_x,room_y,room_z\n";
    for (std::size_t i = 0; i < latent.size(); ++i) {
      out << context->items.item_ids[i] << ',' << latent[i].x << ',' << latent[i].y << ',' << latent[i].z
          << ',' << room[i].x << ',' << room[i].y << ',' << room[i].z << '\n';
    }
    if (!out.flush()) {
      spdlog::error("cannot write {}", temp);
      std::remove(temp.c_str());
      return 1;
    }
  }
  std::filesystem::rename(temp, *out_path);
  spdlog::info("wrote {} items' coordinates to {}", latent.size(), *out_path);
  return 0;
}

}  // namespace lodestone::server
