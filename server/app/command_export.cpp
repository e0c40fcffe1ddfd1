#include "app/checkpointing.h"
#include "app/commands.h"
#include "app/export_job.h"
#include "app/learning_context.h"
#include "app/server_context.h"
#include "export/export_writers.h"
#include "learning/checkpoint_store.h"
#include "learning/learner.h"
#include "learning/room_mapping.h"
#include "learning/trainer.h"

#include <spdlog/spdlog.h>

#include <sstream>

namespace lodestone::server {
namespace {

std::set<std::string> split(const std::optional<std::string>& text) {
  std::set<std::string> out;
  if (!text) return out;
  std::stringstream in(*text);
  for (std::string part; std::getline(in, part, ',');) if (!part.empty()) out.insert(part);
  return out;
}

}  // namespace

// export --format csv|jsonl|imagefolder|idx|embedding --out PATH [--force]
//        [--with-predictions [--min-confidence C]] [--classes A,B] [--annotators X,Y]
int command_export(const Args& args) {
  const auto format_name = args.option("format");
  const auto out = args.option("out");
  if (!format_name || !out) throw UsageError("export needs --format (csv, jsonl, imagefolder, idx, embedding, raven, audacity, clips) and --out PATH");
  const auto format = exporting::parse_format(*format_name);
  if (!format) throw UsageError("unknown export format '" + *format_name + "' (csv, jsonl, imagefolder, idx, embedding, raven, audacity, clips)");

  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto context = load_learning_context(db, args);
  if (!context) return 1;

  ExportJob job;
  job.dataset_id = context->dataset.id;
  job.format = *format;
  job.out = *out;
  job.overwrite = args.flag("force");
  job.filter.include_predictions = args.flag("with-predictions");
  job.filter.min_confidence = static_cast<float>(args.number_or("min-confidence", job.filter.min_confidence));
  job.filter.classes = split(args.option("classes"));
  job.filter.annotators = split(args.option("annotators"));

  try {
    // The model's view comes from the newest checkpoint, which the export names.
    ModelView model;
    const auto latest = learning::latest_checkpoint(db, context->dataset.id);
    check_export(db, job, latest.has_value());
    if (needs_model(job) && latest) {
      const auto config = model_config(args, *context, learning::saved_encoder_channels(data_dir / latest->path),
                                       SavedWidth::MustMatch);
      learning::Learner learner(config, context->items.pixels, context->item_count());
      resume_latest(learner, db, data_dir, context->dataset.id);
      model.checkpoint_id = latest->id;
      auto output = learner.infer(0, learner.item_count());
      model.latent = std::move(output.latent);
      model.room = learning::map_to_room(model.latent, room_box(args));
      for (const auto& p : output.predictions) model.predictions.push_back({p.class_index, p.confidence});
    } else if (needs_model(job)) {
      spdlog::info("no checkpoint yet: the export carries no model predictions");
    }
    const auto summary = run_export(db, job, model, [](const std::string& stage, std::size_t, std::size_t) {
      spdlog::info("export: {}", stage);
    });
    spdlog::info("exported {} items to {}", summary.items, summary.path.string());
    for (const auto& [name, count] : summary.per_class) spdlog::info("  {}: {}", name, count);
  } catch (const ExportRequestError& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const exporting::ExportError& e) {
    spdlog::error("export failed: {}; nothing was written", e.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    spdlog::error("export failed: {}; nothing was written", e.what());
    return 1;
  }
  return 0;
}

}  // namespace lodestone::server
