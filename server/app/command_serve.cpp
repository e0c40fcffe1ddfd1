#include "annotation/label_store.h"
#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/live_operations.h"
#include "learning/checkpoint_store.h"
#include "app/server_context.h"
#include "learning/blas_info.h"
#include "room/room_server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>

namespace lodestone::server {
namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

using Clock = std::chrono::steady_clock;

std::string figure(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3f}", v); }

room::RoomDataset room_dataset(const LearningContext& c) {
  room::RoomDataset d;
  d.description.dataset_id = c.dataset.id;
  d.description.name = c.dataset.name;
  d.description.item_count = static_cast<std::uint32_t>(c.item_count());
  d.description.width = static_cast<std::uint16_t>(c.dataset.width);
  d.description.height = static_cast<std::uint16_t>(c.dataset.height);
  d.description.channels = static_cast<std::uint16_t>(c.dataset.channels);
  d.item_ids = c.items.item_ids;
  d.thumbnails = c.items.pixels;
  d.label_set = c.label_set;
  d.labels = c.labels;
  return d;
}

}  // namespace

int command_serve(const Args& args) {
  reject_unknown_with_model_options(args, {"refresh-seconds", "checkpoint-minutes",
                                 "keep-checkpoints", "status-seconds", "address", "port", "snapshot-rate",
                                 "hello-seconds", "max-intents-per-second"});
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  const ServeLock lock(data_dir);
  if (!lock.held()) {
    spdlog::error("another server is already running on {}", data_dir.string());
    return 1;
  }
  auto db = open_store(data_dir);
  auto context = load_learning_context(db, args);
  if (!context) return 1;

  room::RoomOptions room_options;
  room_options.address = args.option_or("address", room_options.address);
  room_options.port = static_cast<std::uint16_t>(args.number_or("port", room_options.port));
  room_options.snapshot_rate = args.number_or("snapshot-rate", room_options.snapshot_rate);
  room_options.hello_timeout_seconds = args.number_or("hello-seconds", room_options.hello_timeout_seconds);
  room_options.max_intents_per_second = static_cast<std::size_t>(
      args.number_or("max-intents-per-second", static_cast<double>(room_options.max_intents_per_second)));
  if (!(room_options.snapshot_rate > 0 && room_options.snapshot_rate <= 120)) {
    throw UsageError("--snapshot-rate must be in (0, 120]");
  }

  learning::pin_blas_threads(1);
  spdlog::info("BLAS: {}", learning::blas_description());
  const auto config = model_config(args, *context);
  auto learner = std::make_unique<learning::Learner>(config, context->items.pixels, context->item_count());
  resume_latest(*learner, db, data_dir, context->dataset.id);
  const auto resumed_from = learning::latest_checkpoint(db, context->dataset.id);

  learning::TrainerOptions options;
  options.model = config;
  options.room = room_options.room;
  options.refresh_seconds = args.number_or("refresh-seconds", options.refresh_seconds);
  learning::Trainer trainer(options, std::move(learner), context->truth);
  trainer.set_labels(context->labels);
  trainer.refresh_now();

  room::RoomServer room(room_options, db, room_dataset(*context), trainer);
  const auto keep = static_cast<std::size_t>(args.number_or("keep-checkpoints", 10));
  LiveOperations operations(data_dir, context->dataset.id, trainer, keep, resumed_from ? resumed_from->id : 0);
  room.set_operations(&operations);
  std::string error;
  if (!room.listen(error)) {
    spdlog::error("{}", error);
    return 1;
  }
  trainer.start();
  const auto labelled = std::count_if(context->labels.begin(), context->labels.end(), [](int l) { return l >= 0; });
  spdlog::info("serving dataset {} '{}': {} items, {} classes, {} labelled; training on {} thread(s)",
               context->dataset.id, context->dataset.name, context->item_count(),
               context->label_set.classes.size(), labelled, config.threads);
  // Machine-readable line for scripts and tests that start the server on port 0.
  std::printf("LISTENING %u\n", room.port());
  std::fflush(stdout);

  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout (a supervisor gone) must not kill the room
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto checkpoint_every = std::chrono::duration<double>(args.number_or("checkpoint-minutes", 5) * 60);
  const auto status_every = std::chrono::duration<double>(args.number_or("status-seconds", 10));
  auto last_checkpoint = Clock::now(), last_status = Clock::now();
  spdlog::info("server ready; stop with Ctrl-C or SIGTERM (the model is checkpointed first)");
  room.run(g_stop, [&] {
    if (Clock::now() - last_status >= status_every) {
      last_status = Clock::now();
      if (auto latest = trainer.latest()) {
        const auto& m = latest->metrics;
        spdlog::info("step {} | {:.0f} samples/s | {} client(s) | recon {:.1f} kl {:.2f} class {:.3f} | "
                     "{} labelled, {} in conflict | acc labelled {} unlabelled {} room 5-NN {}",
                     latest->step, trainer.samples_per_second(), room.client_count(), m.losses.reconstruction,
                     m.losses.kl, m.losses.classifier, m.labelled_count,
                     annotation::conflict_count(db, context->dataset.id), figure(m.labelled_accuracy),
                     figure(m.unlabelled_accuracy), figure(m.knn_accuracy));
      }
    }
    if (Clock::now() - last_checkpoint >= checkpoint_every) {
      last_checkpoint = Clock::now();
      operations.set_active_checkpoint(save_checkpoint(trainer, db, data_dir, context->dataset.id, keep));
    }
  });
  spdlog::info("stopping: saving a checkpoint");
  save_checkpoint(trainer, db, data_dir, context->dataset.id, keep);
  trainer.stop();
  spdlog::info("stopped cleanly ({} annotations acknowledged this run)", room.counters().annotations_acknowledged);
  return 0;
}

}  // namespace lodestone::server
