#pragma once
// One export, as `lodestone-server export` and the console's ExportRequest run it: check
// the request against the label set, read the rows in one snapshot, write them aside and
// rename into place, reporting each stage.
#include "export/export_rows.h"
#include "export/export_writers.h"
#include "store/database.h"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::server {

struct ExportRequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ExportJob {
  std::int64_t dataset_id = 0;
  exporting::Format format = exporting::Format::Csv;
  std::filesystem::path out;
  exporting::ExportFilter filter;
  bool overwrite = false;
};

// The model's view of every item, when the format or the filter needs it.
struct ModelView {
  std::vector<exporting::Prediction> predictions;  // by item index
  std::vector<Vec3> latent, room;                  // by item index
  std::optional<std::int64_t> checkpoint_id;       // the checkpoint that reproduces them
};

// Whether the job needs the model: embeddings, predicted labels, or CSV / JSON Lines
// (which carry the model's verdict next to the manual label).
bool needs_model(const ExportJob& job);
// Throws ExportRequestError for a class the label set does not have, or a format that
// needs a model when none is given.
void check_export(store::Database& db, const ExportJob& job, bool model_available);

using StageFn = std::function<void(const std::string& stage, std::size_t done, std::size_t total)>;
// Throws ExportRequestError / exporting::ExportError / filesystem_error; nothing is left
// at `out` when it fails.
exporting::ExportSummary run_export(store::Database& db, const ExportJob& job, const ModelView& model,
                                    const StageFn& stage = {});
// "1200 items to /data/out.csv (one: 130, two: 118, …)"
std::string describe(const exporting::ExportSummary& summary);

}  // namespace lodestone::server
