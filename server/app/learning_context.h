#pragma once
// What training a dataset needs, read from the store: the items, the label set, the
// current annotations and the ground truth, each as class indices the model uses
// (a class's index is its position in the label set).
#include "app/args.h"
#include "dataset/dataset_store.h"
#include "learning/model_config.h"
#include "lodestone/messages.h"
#include "store/database.h"

#include <map>
#include <optional>
#include <vector>

namespace lodestone::server {

struct LearningContext {
  dataset::DatasetInfo dataset;
  dataset::StoredItems items;
  LabelSet label_set;
  std::vector<int> truth;   // ground-truth class index per item, -1 where unknown
  std::vector<int> labels;  // annotated class index per item, -1 where unlabelled

  std::size_t item_count() const { return items.item_ids.size(); }
  // Converts the store's current labels (item id → class id) to per-item indices.
  std::vector<int> to_indices(const std::map<ItemId, ClassId>& current) const;
};

// Loads the dataset `dataset_id`, or the newest one; nullopt (after logging why) when
// there is none.
std::optional<LearningContext> load_learning_context(store::Database& db,
                                                     std::optional<std::int64_t> dataset_id);
// The same, for the dataset named by --dataset (or the newest).
std::optional<LearningContext> load_learning_context(store::Database& db, const Args& args);

// What the newest checkpoint's encoder width means to a command: one that trains may
// change it (the checkpoint's other parts carry over), one that only reads the model
// must build the model the checkpoint holds.
enum class SavedWidth { MayChange, MustMatch };

// The model's configuration for this context, with the command line's overrides
// (--kl-weight, --classifier-weight, --consistency-weight, --learning-rate, --batch,
// --labelled-per-batch, --threads, --seed, --encoder-channels). Without
// --encoder-channels the encoder is as wide as `saved_channels` (the newest checkpoint's)
// where there is one, else learning::default_encoder_channels for the dataset's size;
// with it, a reading command refuses a width the checkpoint lacks.
learning::ModelConfig model_config(const Args& args, const LearningContext& context,
                                   std::optional<int> saved_channels = std::nullopt,
                                   SavedWidth rule = SavedWidth::MayChange);

// The box the cloud fills, from --room-size / room.size (1–100 m a side): the room, the
// embedding export and `embed` all map the latent into this one box.
Box room_box(const Args& args);

}  // namespace lodestone::server
