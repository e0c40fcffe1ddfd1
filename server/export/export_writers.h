#pragma once
// The export formats, each written aside and renamed into place, so a reader never sees
// half an export and a failed one leaves nothing.
#include "export/export_rows.h"
#include "lodestone/types.h"

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace lodestone::exporting {

enum class Format { Csv, JsonLines, ImageFolder, Idx, Embedding, Raven, Audacity, AudioClips };
std::optional<Format> parse_format(const std::string& name);

struct ExportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ExportSummary {
  std::filesystem::path path;
  std::size_t items = 0;
  std::map<std::string, std::size_t> per_class;
};

// CSV, JSON Lines (one file), ImageFolder (a folder per class of PNGs, as torchvision
// reads it) or IDX (images and labels files plus classes.txt naming each label).
// Audio datasets also: Raven selection tables, Audacity label tracks, WAV clips per class
// (export/sound_exports.h). Refuses an existing `out` unless `overwrite`.
ExportSummary write_export(const ExportData& data, Format format, const std::filesystem::path& out, bool overwrite);

// A class name as one safe path component.
std::string folder_name(const std::string& name);

// Latent and room coordinates of every item as CSV (format "embedding").
ExportSummary write_embedding_csv(const std::vector<std::int64_t>& item_ids, const std::vector<Vec3>& latent,
                                  const std::vector<Vec3>& room, const std::filesystem::path& out, bool overwrite);

}  // namespace lodestone::exporting
