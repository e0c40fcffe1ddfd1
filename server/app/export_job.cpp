#include "app/export_job.h"

#include "annotation/label_store.h"
#include "dataset/dataset_store.h"

namespace lodestone::server {

bool needs_model(const ExportJob& job) {
  return job.format == exporting::Format::Embedding || job.format == exporting::Format::Csv ||
         job.format == exporting::Format::JsonLines || job.filter.include_predictions;
}

void check_export(store::Database& db, const ExportJob& job, bool model_available) {
  const auto set = annotation::ensure_label_set(db, job.dataset_id);
  for (const auto& name : job.filter.classes) {
    if (std::none_of(set.classes.begin(), set.classes.end(), [&](const ClassInfo& c) { return c.name == name; })) {
      throw ExportRequestError("class '" + name + "' is not in the label set");
    }
  }
  if (!model_available && (job.format == exporting::Format::Embedding || job.filter.include_predictions)) {
    throw ExportRequestError("no trained model yet for dataset " + std::to_string(job.dataset_id) +
                             ": run `serve` or `train` first");
  }
  if (!(job.filter.min_confidence >= 0 && job.filter.min_confidence <= 1)) {
    throw ExportRequestError("the minimum confidence must be between 0 and 1");
  }
}

exporting::ExportSummary run_export(store::Database& db, const ExportJob& job, const ModelView& model,
                                    const StageFn& stage) {
  const auto report = [&](const std::string& name, std::size_t done) {
    if (stage) stage(name, done, 2);
  };
  if (job.format == exporting::Format::Embedding) {
    report("reading items", 0);
    std::vector<std::int64_t> item_ids;
    {
      auto q = db.prepare("SELECT id FROM items WHERE dataset_id = ? ORDER BY ordinal");
      q.bind(1, job.dataset_id);
      while (q.step()) item_ids.push_back(q.int64(0));
    }
    if (item_ids.size() != model.latent.size()) {
      throw ExportRequestError("the model embeds " + std::to_string(model.latent.size()) + " items, the dataset has " +
                               std::to_string(item_ids.size()));
    }
    report("writing", 1);
    auto summary = exporting::write_embedding_csv(item_ids, model.latent, model.room, job.out, job.overwrite);
    report("done", 2);
    return summary;
  }
  report("reading labels", 0);
  const auto rows = exporting::collect_rows(db, job.dataset_id, job.filter, model.predictions, model.checkpoint_id);
  report("writing", 1);
  auto summary = exporting::write_export(rows, job.format, job.out, job.overwrite);
  report("done", 2);
  return summary;
}

std::string describe(const exporting::ExportSummary& summary) {
  std::string text = std::to_string(summary.items) + " items to " + summary.path.string();
  std::string classes;
  for (const auto& [name, count] : summary.per_class) {
    classes += (classes.empty() ? "" : ", ") + name + ": " + std::to_string(count);
  }
  return classes.empty() ? text : text + " (" + classes + ")";
}

}  // namespace lodestone::server
