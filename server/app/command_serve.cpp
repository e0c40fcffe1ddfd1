#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/server_context.h"
#include "learning/blas_info.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <thread>

namespace lodestone::server {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

using Clock = std::chrono::steady_clock;

std::string figure(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3f}", v); }

}  // namespace

int command_serve(const Args& args) {
  std::vector<std::string> known{"data-dir", "dataset", "refresh-seconds", "checkpoint-minutes",
                                 "keep-checkpoints", "status-seconds"};
  known.insert(known.end(), model_option_names().begin(), model_option_names().end());
  args.reject_unknown(known);
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  std::optional<std::int64_t> dataset_id;
  if (args.option("dataset")) dataset_id = static_cast<std::int64_t>(args.number_or("dataset", 0));
  auto context = load_learning_context(db, dataset_id);
  if (!context) return 1;

  learning::pin_blas_threads(1);
  spdlog::info("BLAS: {}", learning::blas_description());
  const auto config = model_config(args, *context);
  auto learner = std::make_unique<learning::Learner>(config, context->items.pixels, context->item_count());
  resume_latest(*learner, db, data_dir, context->dataset.id);

  learning::TrainerOptions options;
  options.model = config;
  options.refresh_seconds = args.number_or("refresh-seconds", options.refresh_seconds);
  learning::Trainer trainer(options, std::move(learner), context->truth);
  trainer.set_labels(context->labels);
  trainer.refresh_now();
  trainer.start();
  const auto labelled = std::count_if(context->labels.begin(), context->labels.end(), [](int l) { return l >= 0; });
  spdlog::info("serving dataset {} '{}': {} items, {} classes, {} labelled; training on {} thread(s)",
               context->dataset.id, context->dataset.name, context->item_count(),
               context->label_set.classes.size(), labelled, config.threads);

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto checkpoint_every = std::chrono::duration<double>(args.number_or("checkpoint-minutes", 5) * 60);
  const auto status_every = std::chrono::duration<double>(args.number_or("status-seconds", 10));
  const auto keep = static_cast<std::size_t>(args.number_or("keep-checkpoints", 10));
  auto last_checkpoint = Clock::now(), last_status = Clock::now();
  spdlog::info("server ready; stop with Ctrl-C or SIGTERM (the model is checkpointed first)");
  while (!g_stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (Clock::now() - last_status >= status_every) {
      last_status = Clock::now();
      if (auto room = trainer.latest()) {
        const auto& m = room->metrics;
        spdlog::info("step {} | {:.0f} samples/s | recon {:.1f} kl {:.2f} class {:.3f} | {} labelled, "
                     "acc labelled {} unlabelled {} room 5-NN {}",
                     room->step, trainer.samples_per_second(), m.losses.reconstruction, m.losses.kl,
                     m.losses.classifier, m.labelled_count, figure(m.labelled_accuracy),
                     figure(m.unlabelled_accuracy), figure(m.knn_accuracy));
      }
    }
    if (Clock::now() - last_checkpoint >= checkpoint_every) {
      last_checkpoint = Clock::now();
      save_checkpoint(trainer, db, data_dir, context->dataset.id, keep);
    }
  }
  spdlog::info("stopping: saving a checkpoint");
  save_checkpoint(trainer, db, data_dir, context->dataset.id, keep);
  trainer.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace lodestone::server
