#include "annotation/label_store.h"
#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/live_operations.h"
#include "learning/checkpoint_store.h"
#include "app/server_context.h"
#include "app/training_group_args.h"
#include "learning/blas_info.h"
#include "room/room_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <future>
#include <unordered_map>

namespace lodestone::server {
namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

using Clock = std::chrono::steady_clock;

std::string figure(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3f}", v); }

// A per-item value from the store (who gave the standing label, where it came from), by
// item position, so the console's counts are right from the first moment after a restart.
template <class Value>
std::vector<Value> by_position(const LearningContext& c, const std::map<ItemId, Value>& values, Value none) {
  std::vector<Value> out(c.item_count(), none);
  std::unordered_map<ItemId, std::size_t> position;
  for (std::size_t i = 0; i < c.items.item_ids.size(); ++i) position[c.items.item_ids[i]] = i;
  for (const auto& [item, value] : values) {
    if (const auto at = position.find(item); at != position.end()) out[at->second] = value;
  }
  return out;
}

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
  d.truth = c.truth;
  if (c.dataset.source_kind == "audio-folder") {
    d.description.sample_rate = static_cast<std::uint32_t>(c.dataset.sample_rate);
    d.sound_folder = c.dataset.source_path;
  }
  return d;
}

// Caps the database at `megabytes` (SQLite's max_page_count), so a store that must not
// outgrow its disk refuses writes with "database or disk is full" instead of filling it.
// Reads keep working at the cap; SQLite never lowers the cap below the current size.
void cap_database_size(store::Database& db, double megabytes) {
  auto page_size = db.prepare("PRAGMA page_size");
  page_size.step();
  const auto pages = static_cast<std::int64_t>(megabytes * 1024 * 1024) / page_size.int64(0);
  auto cap = db.prepare("PRAGMA max_page_count = " + std::to_string(std::max<std::int64_t>(pages, 1)));
  cap.step();
  spdlog::info("database capped at {:.2f} MB ({} pages of {} bytes)", megabytes, cap.int64(0), page_size.int64(0));
}

// A checkpoint that cannot be written (disk full, store refusing writes) is logged and
// retried at the next interval; the room goes on serving.
std::optional<std::int64_t> try_save_checkpoint(learning::Trainer& trainer, store::Database& db,
                                                const std::filesystem::path& data_dir, std::int64_t dataset_id,
                                                std::size_t keep) {
  try {
    return save_checkpoint(trainer, db, data_dir, dataset_id, keep);
  } catch (const std::exception& e) {
    spdlog::error("checkpoint not saved: {}", e.what());
    return std::nullopt;
  }
}

}  // namespace

int command_serve(const Args& args) {
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  const ServeLock lock(data_dir);
  if (!lock.held()) {
    spdlog::error("another server is already running on {}", data_dir.string());
    return 1;
  }
  auto db = open_store(data_dir);
  const double max_database_mb = args.number_or("max-database-mb", 0);
  if (max_database_mb < 0) throw UsageError("--max-database-mb must be positive (0: no cap)");
  if (max_database_mb > 0) cap_database_size(db, max_database_mb);
  auto context = load_learning_context(db, args);
  if (!context) return 1;

  room::RoomOptions room_options;
  room_options.address = args.option_or("address", room_options.address);
  room_options.port = static_cast<std::uint16_t>(args.number_or("port", room_options.port));
  room_options.snapshot_rate = args.number_or("snapshot-rate", room_options.snapshot_rate);
  room_options.hello_timeout_seconds = args.number_or("hello-seconds", room_options.hello_timeout_seconds);
  room_options.idle_timeout_seconds = args.number_or("idle-seconds", room_options.idle_timeout_seconds);
  room_options.max_intents_per_second = static_cast<std::size_t>(
      args.number_or("max-intents-per-second", static_cast<double>(room_options.max_intents_per_second)));
  room_options.smoothing_seconds = args.number_or("smoothing-seconds", room_options.smoothing_seconds);
  room_options.max_peers = static_cast<std::size_t>(args.number_or("max-peers", static_cast<double>(room_options.max_peers)));
  room_options.room = room_box(args);
  room_options.acceptance_threshold =
      static_cast<float>(args.number_or("acceptance-threshold", room_options.acceptance_threshold));
  if (!(room_options.acceptance_threshold >= 0.5f && room_options.acceptance_threshold <= 1.0f)) {
    throw UsageError("--acceptance-threshold must be in [0.5, 1]");
  }
  if (room_options.max_peers < 1 || room_options.max_peers > 4095) throw UsageError("--max-peers must be in [1, 4095]");
  const auto speakers = args.option_or("voice-speakers", "annotators");
  if (speakers == "everyone") room_options.voice_speakers = room::VoiceSpeakers::Everyone;
  else if (speakers == "annotators") room_options.voice_speakers = room::VoiceSpeakers::Annotators;
  else if (speakers == "leads") room_options.voice_speakers = room::VoiceSpeakers::Leads;
  else if (speakers == "nobody") room_options.voice_speakers = room::VoiceSpeakers::Nobody;
  else throw UsageError("--voice-speakers is everyone, annotators, leads or nobody, not '" + speakers + "'");
  if (!(room_options.smoothing_seconds >= 0 && room_options.smoothing_seconds <= 10)) {
    throw UsageError("--smoothing-seconds must be in [0, 10]");
  }
  if (!(room_options.snapshot_rate > 0 && room_options.snapshot_rate <= 120)) {
    throw UsageError("--snapshot-rate must be in (0, 120]");
  }

  learning::pin_blas_threads(1);
  spdlog::info("BLAS: {}", learning::blas_description());
  const auto config = model_config(args, *context, latest_encoder_channels(db, data_dir, context->dataset.id));
  auto learner = std::make_unique<learning::Learner>(config, context->items.pixels, context->item_count());
  const auto resumed_step = resume_latest(*learner, db, data_dir, context->dataset.id);
  const auto resumed_from = learning::latest_checkpoint(db, context->dataset.id);

  learning::TrainerOptions options;
  options.model = config;
  options.room = room_options.room;
  options.refresh_seconds = args.number_or("refresh-seconds", options.refresh_seconds);
  options.group = group_address(args, 0);  // --world N: rank 0 of a training group
  learning::Trainer trainer(options, std::move(learner), context->truth);
  if (resumed_step > 0 && resumed_from) trainer.note_checkpoint(data_dir / resumed_from->path);
  trainer.set_labels(context->labels);
  trainer.refresh_now();

  auto dataset = room_dataset(*context);
  dataset.labelled_by = by_position(*context, annotation::current_labellers(db, context->dataset.id), UserId{0});
  dataset.origins =
      by_position(*context, annotation::current_origins(db, context->dataset.id), annotation::LabelOrigin::Manual);
  room::RoomServer room(room_options, db, std::move(dataset), trainer);
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
  // Scheduled checkpoints are saved beside the room, on their own connection: saving waits
  // for the trainer's step and for the files to reach the disk (half a second at 70k
  // items), and on the room thread no snapshot or acknowledgement would leave meanwhile.
  std::future<std::optional<std::int64_t>> scheduled_save;
  const auto save_in_background = [&] {
    return std::async(std::launch::async, [&, own = db.open_another()]() mutable {
      return try_save_checkpoint(trainer, own, data_dir, context->dataset.id, keep);
    });
  };
  spdlog::info("server ready; stop with Ctrl-C or SIGTERM (the model is checkpointed first)");
  room.run(g_stop, [&] {
    if (Clock::now() - last_status >= status_every) {
      last_status = Clock::now();
      if (auto latest = trainer.latest()) {
        const auto& m = latest->metrics;
        spdlog::info("step {} | {:.0f} samples/s | {} client(s) | recon {:.1f} kl {:.2f} class {:.3f} | "
                     "{} labelled, {} in conflict | acc labelled {} unlabelled {} room 5-NN {} | "
                     "{} labelling acts, whole dataset {}",
                     latest->step, trainer.samples_per_second(), room.client_count(), m.losses.reconstruction,
                     m.losses.kl, m.losses.classifier, m.labelled_count,
                     annotation::conflict_count(db, context->dataset.id), figure(m.labelled_accuracy),
                     figure(m.unlabelled_accuracy), figure(m.knn_accuracy), room.counters().labelling_acts,
                     figure(m.whole_accuracy));
      }
    }
    if (scheduled_save.valid() && scheduled_save.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      if (const auto id = scheduled_save.get()) operations.set_active_checkpoint(*id);
    }
    if (Clock::now() - last_checkpoint >= checkpoint_every && !scheduled_save.valid()) {
      last_checkpoint = Clock::now();
      scheduled_save = save_in_background();
    }
  });
  if (scheduled_save.valid()) scheduled_save.wait();
  spdlog::info("stopping: saving a checkpoint");
  const bool saved = try_save_checkpoint(trainer, db, data_dir, context->dataset.id, keep).has_value();
  trainer.stop();
  spdlog::info("stopped {}({} annotations acknowledged this run)", saved ? "cleanly " : "without a final checkpoint ",
               room.counters().annotations_acknowledged);
  return saved ? 0 : 1;
}

}  // namespace lodestone::server
