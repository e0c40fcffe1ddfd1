#pragma once
// What an export holds: one row per exported item, read from one consistent snapshot of
// the database (a single read transaction), so an export taken while annotators label
// reflects the labels of one moment.
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lodestone::exporting {

struct Prediction {
  int class_index = -1;
  float confidence = 0;
};

struct ExportFilter {
  bool include_predictions = false;  // also items the model predicts above min_confidence
  float min_confidence = 0.9f;
  std::set<std::string> classes;     // empty: all
  std::set<std::string> annotators;  // empty: all
};

struct ExportRow {
  std::size_t item_index = 0;
  std::int64_t item_id = 0;
  std::string source;
  std::optional<double> start_s, end_s;  // audio: the clip's place in its recording
  std::string class_name;
  int class_index = -1;  // position in the label set
  bool predicted = false;  // true: the model's label, no annotation
  // "manual" (a person chose the class), "accepted" (a person accepted the model's
  // prediction) or "predicted" (the model's, no annotation).
  std::string origin = "manual";
  std::string annotator, labelled_at;
  std::optional<std::int64_t> sphere_id;
  std::optional<Prediction> prediction;  // the model's verdict, when predictions were computed
};

struct ExportData {
  std::int64_t dataset_id = 0;
  int width = 0, height = 0, channels = 0;
  bool has_spans = false;  // audio: rows carry start_s and end_s
  std::string source_path;  // the imported file or folder (sources are relative to a folder)
  int sample_rate = 0;      // audio: the rate the model's spectrograms were made at
  std::vector<std::string> class_names;  // by class index
  std::vector<ExportRow> rows;
  std::vector<std::vector<std::uint8_t>> pixels;  // per row
  std::optional<std::int64_t> checkpoint_id;
};

// Reads the rows to export. `predictions` (per item index) may be empty.
ExportData collect_rows(store::Database& db, std::int64_t dataset_id, const ExportFilter& filter,
                        const std::vector<Prediction>& predictions, std::optional<std::int64_t> checkpoint_id);

}  // namespace lodestone::exporting
