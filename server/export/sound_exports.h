#pragma once
// Exports for the tools of acoustic monitoring, from an audio dataset's labelled windows:
// Raven selection tables and Audacity label tracks (one per recording; overlapping or
// touching windows of one class become one selection), and a folder per class of WAV
// clips cut from the original recordings.
#include "export/export_rows.h"

#include <filesystem>

namespace lodestone::exporting {

// Each throws ExportError (the dataset is not audio, a recording cannot be read, the
// disk is full) naming the file.
void write_raven_tables(const ExportData& data, const std::filesystem::path& dir);
void write_audacity_labels(const ExportData& data, const std::filesystem::path& dir);
void write_audio_clips(const ExportData& data, const std::filesystem::path& dir);

}  // namespace lodestone::exporting
