#include "app/commands.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"
#include "learning/blas_info.h"
#include "learning/evaluation.h"
#include "learning/learner.h"
#include "learning/metrics.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace lodestone::server {
namespace {

using Clock = std::chrono::steady_clock;

learning::ModelConfig config_from(const Args& args, const dataset::DatasetInfo& info, int classes) {
  learning::ModelConfig c;
  c.width = info.width;
  c.height = info.height;
  c.channels = info.channels;
  c.num_classes = std::max(classes, 1);
  c.kl_weight = static_cast<float>(args.number_or("kl-weight", c.kl_weight));
  c.classifier_weight = static_cast<float>(args.number_or("classifier-weight", c.classifier_weight));
  c.consistency_weight = static_cast<float>(args.number_or("consistency-weight", c.consistency_weight));
  c.learning_rate = static_cast<float>(args.number_or("learning-rate", c.learning_rate));
  c.batch_size = static_cast<int>(args.number_or("batch", c.batch_size));
  c.labelled_per_batch = static_cast<int>(args.number_or("labelled-per-batch", c.labelled_per_batch));
  c.max_shift_pixels = static_cast<int>(args.number_or("shift", c.max_shift_pixels));
  c.conv1_channels = static_cast<int>(args.number_or("conv1", c.conv1_channels));
  c.conv2_channels = static_cast<int>(args.number_or("conv2", c.conv2_channels));
  c.hidden_units = static_cast<int>(args.number_or("hidden", c.hidden_units));
  c.kl_warmup_steps = static_cast<int>(args.number_or("kl-warmup", c.kl_warmup_steps));
  c.threads = static_cast<int>(args.number_or("threads", c.threads));
  c.seed = static_cast<std::uint64_t>(args.number_or("seed", 1));
  return c;
}

}  // namespace

int command_train(const Args& args) {
  args.reject_unknown({"data-dir", "dataset", "seconds", "oracle-per-class", "seed", "threads",
                       "kl-weight", "classifier-weight", "consistency-weight", "learning-rate",
                       "batch", "labelled-per-batch", "shift", "report-seconds", "conv1", "conv2", "hidden", "kl-warmup"});
  auto db = open_store(resolve_data_dir(args.option("data-dir")));
  const auto all = dataset::list_datasets(db);
  if (all.empty()) {
    spdlog::error("no dataset: import one first");
    return 1;
  }
  const auto info = args.option("dataset")
                        ? dataset::find_dataset(db, static_cast<std::int64_t>(args.number_or("dataset", 0)))
                        : std::optional(all.back());
  if (!info) {
    spdlog::error("dataset {} does not exist", *args.option("dataset"));
    return 1;
  }
  const auto items = dataset::load_items(db, *info);

  // Class numbering: ground-truth names in sorted order.
  std::map<std::string, int> class_of;
  for (const auto& t : items.ground_truth) if (t) class_of.emplace(*t, 0);
  int next = 0;
  for (auto& [name, index] : class_of) index = next++;
  std::vector<int> truth(items.item_ids.size(), -1);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (items.ground_truth[i]) truth[i] = class_of[*items.ground_truth[i]];
  }

  const auto config = config_from(args, *info, static_cast<int>(class_of.size()));
  learning::pin_blas_threads(1);
  spdlog::info("BLAS: {}", learning::blas_description());
  spdlog::info("training on dataset {} '{}' ({} items), {} threads, seed {}", info->id, info->name,
               truth.size(), config.threads, config.seed);

  std::vector<int> labels(truth.size(), learning::kUnlabelled);
  const int per_class = static_cast<int>(args.number_or("oracle-per-class", 0));
  if (per_class > 0) {
    for (auto i : learning::choose_per_class(truth, config.num_classes, per_class, config.seed)) labels[i] = truth[i];
    spdlog::info("oracle: {} labels ({} per class) from ground truth", per_class * config.num_classes, per_class);
  }
  learning::Learner learner(config, items.pixels, items.item_ids.size());
  learner.set_labels(labels);

  const Box room{{-1, -1, -1}, {1, 1, 1}};
  const double seconds = args.number_or("seconds", 60);
  const double report_every = args.number_or("report-seconds", 15);
  const auto start = Clock::now();
  auto last_report = start;
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const auto report = [&](const learning::StepLosses& losses) {
    const auto latent = learner.embed(0, learner.item_count());
    const auto placed = learning::map_to_room(latent, room);
    auto m = learning::measure(learner, latent, placed, labels, truth);
    spdlog::info(
        "step {:6} {:5.1f}s  recon {:7.2f} kl {:5.2f} class {:5.3f} cons {:5.3f} | labelled acc {:.3f} "
        "unlabelled acc {:.3f} room 5-NN {:.3f}",
        learner.step(), elapsed(), losses.reconstruction, losses.kl, losses.classifier,
        losses.consistency, m.labelled_accuracy, m.unlabelled_accuracy, m.knn_accuracy);
  };
  learning::StepLosses losses;
  std::size_t samples = 0;
  while (elapsed() < seconds) {
    losses = learner.train(20);
    samples += losses.samples;
    if (std::chrono::duration<double>(Clock::now() - last_report).count() >= report_every) {
      report(losses);
      last_report = Clock::now();
    }
  }
  spdlog::info("trained {} steps, {:.0f} samples/s", learner.step(), double(samples) / elapsed());
  report(losses);

  if (per_class > 0) {
    std::vector<std::size_t> labelled, queries;
    std::vector<int> lc, qt;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] >= 0) labelled.push_back(i), lc.push_back(labels[i]);
      else if (truth[i] >= 0) queries.push_back(i), qt.push_back(truth[i]);
    }
    std::vector<float> pixels(items.pixels.begin(), items.pixels.end());
    const double pixel_knn = learning::knn_accuracy(pixels, items.pixels.size() / labels.size(),
                                                    labelled, lc, queries, qt, 5);
    spdlog::info("baseline: 5-NN on raw pixels with the same labels {:.3f}", pixel_knn);
  }
  return 0;
}

}  // namespace lodestone::server
