#include "app/checkpointing.h"
#include "app/commands.h"
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
  reject_unknown_with_model_options(args, {"format", "out", "force", "with-predictions",
                                 "min-confidence", "classes", "annotators"});
  const auto format_name = args.option("format");
  const auto out = args.option("out");
  if (!format_name || !out) throw UsageError("export needs --format (csv, jsonl, imagefolder, idx, embedding) and --out PATH");
  const auto format = exporting::parse_format(*format_name);
  if (!format) throw UsageError("unknown export format '" + *format_name + "' (csv, jsonl, imagefolder, idx, embedding)");

  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto context = load_learning_context(db, args);
  if (!context) return 1;

  exporting::ExportFilter filter;
  filter.include_predictions = args.flag("with-predictions");
  filter.min_confidence = static_cast<float>(args.number_or("min-confidence", filter.min_confidence));
  filter.classes = split(args.option("classes"));
  filter.annotators = split(args.option("annotators"));
  for (const auto& name : filter.classes) {
    const auto& classes = context->label_set.classes;
    if (std::none_of(classes.begin(), classes.end(), [&](const ClassInfo& c) { return c.name == name; })) {
      spdlog::error("class '{}' is not in the label set", name);
      return 1;
    }
  }

  // The model's view: predictions for CSV / JSON Lines, and for --with-predictions.
  const bool wants_model = *format == exporting::Format::Embedding || *format == exporting::Format::Csv ||
                           *format == exporting::Format::JsonLines || filter.include_predictions;
  std::vector<exporting::Prediction> predictions;
  std::optional<std::int64_t> checkpoint_id;
  std::vector<Vec3> latent;
  if (wants_model) {
    const auto latest = learning::latest_checkpoint(db, context->dataset.id);
    if (!latest) {
      if (*format == exporting::Format::Embedding || filter.include_predictions) {
        spdlog::error("no checkpoint yet for dataset {}: run `serve` or `train` first", context->dataset.id);
        return 1;
      }
      spdlog::info("no checkpoint yet: the export carries no model predictions");
    } else {
      learning::Learner learner(model_config(args, *context), context->items.pixels, context->item_count());
      resume_latest(learner, db, data_dir, context->dataset.id);
      checkpoint_id = latest->id;
      latent = learner.embed(0, learner.item_count());
      for (const auto& p : learner.predict(latent)) predictions.push_back({p.class_index, p.confidence});
    }
  }

  try {
    exporting::ExportSummary summary;
    if (*format == exporting::Format::Embedding) {
      const auto room = learning::map_to_room(latent, learning::TrainerOptions{}.room);
      summary = exporting::write_embedding_csv(context->items.item_ids, latent, room, *out, args.flag("force"));
    } else {
      const auto rows = exporting::collect_rows(db, context->dataset.id, filter, predictions, checkpoint_id);
      summary = exporting::write_export(rows, *format, *out, args.flag("force"));
    }
    spdlog::info("exported {} items to {}", summary.items, summary.path.string());
    for (const auto& [name, count] : summary.per_class) spdlog::info("  {}: {}", name, count);
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
