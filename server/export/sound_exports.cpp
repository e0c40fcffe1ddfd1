#include "export/sound_exports.h"

#include "audio/clip_reader.h"
#include "export/export_writers.h"
#include "export/text_output.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace lodestone::exporting {
namespace {

namespace fs = std::filesystem;

// One stretch of a recording with one class: labelled windows that overlap or touch.
struct Selection {
  double start = 0, end = 0;
  std::string class_name;
  std::set<std::string> annotators, origins;
};

void require_audio(const ExportData& data) {
  if (!data.has_spans) throw ExportError("this dataset is not audio: its items have no place in a recording");
}

// Selections per recording (by source), in time order.
std::map<std::string, std::vector<Selection>> selections(const ExportData& data) {
  std::map<std::string, std::vector<const ExportRow*>> by_source;
  for (const auto& row : data.rows) {
    if (row.start_s) by_source[row.source].push_back(&row);
  }
  std::map<std::string, std::vector<Selection>> out;
  for (auto& [source, rows] : by_source) {
    std::sort(rows.begin(), rows.end(), [](const ExportRow* a, const ExportRow* b) { return *a->start_s < *b->start_s; });
    std::map<std::string, Selection*> open;  // the newest selection of each class
    auto& list = out[source];
    list.reserve(rows.size());
    for (const ExportRow* row : rows) {
      Selection* last = open.count(row->class_name) ? open[row->class_name] : nullptr;
      if (last != nullptr && *row->start_s <= last->end + 1e-9) {
        last->end = std::max(last->end, *row->end_s);
      } else {
        list.push_back({*row->start_s, *row->end_s, row->class_name, {}, {}});
        last = open[row->class_name] = &list.back();
      }
      if (!row->annotator.empty()) last->annotators.insert(row->annotator);
      last->origins.insert(row->origin);
    }
    std::stable_sort(list.begin(), list.end(), [](const Selection& a, const Selection& b) { return a.start < b.start; });
  }
  return out;
}

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ";") + n;
  return text;
}

// A recording's file name, flattened: calls/a.wav → calls_a.wav.
std::string flat_name(const std::string& source) {
  std::string out = source;
  std::replace(out.begin(), out.end(), '/', '_');
  std::replace(out.begin(), out.end(), '\\', '_');
  return out;
}

// Text fields of tab-separated tables hold no tabs or line breaks.
std::string field(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

void write_raven_tables(const ExportData& data, const fs::path& dir) {
  require_audio(data);
  fs::create_directories(dir);
  const std::string high = data.sample_rate > 0 ? std::to_string(data.sample_rate / 2) : "";
  for (const auto& [source, list] : selections(data)) {
    const auto path = dir / (fs::path(flat_name(source)).stem().string() + ".Table.1.selections.txt");
    std::ofstream out(path);
    out << "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\t"
           "Class\tAnnotator\tOrigin\n";
    int number = 0;
    for (const auto& s : list) {
      out << ++number << "\tSpectrogram 1\t1\t" << seconds_text(s.start) << '\t' << seconds_text(s.end) << "\t0\t" << high
          << '\t' << field(fs::path(source).filename().string()) << '\t' << field(s.class_name) << '\t'
          << field(joined(s.annotators)) << '\t' << field(joined(s.origins)) << '\n';
    }
    check_written(out, path);
  }
}

void write_audacity_labels(const ExportData& data, const fs::path& dir) {
  require_audio(data);
  fs::create_directories(dir);
  for (const auto& [source, list] : selections(data)) {
    const auto path = dir / (fs::path(flat_name(source)).stem().string() + ".labels.txt");
    std::ofstream out(path);
    for (const auto& s : list) out << seconds_text(s.start) << '\t' << seconds_text(s.end) << '\t' << field(s.class_name) << '\n';
    check_written(out, path);
  }
}

void write_audio_clips(const ExportData& data, const fs::path& dir) {
  require_audio(data);
  fs::create_directories(dir);
  for (const auto& row : data.rows) {
    if (!row.start_s) continue;
    const auto folder = dir / folder_name(row.class_name);
    fs::create_directories(folder);
    const auto target = folder / (std::to_string(row.item_id) + ".wav");
    const auto copied = audio::copy_clip(fs::path(data.source_path) / row.source, *row.start_s, *row.end_s, target);
    if (!copied) throw ExportError("clip of item " + std::to_string(row.item_id) + ": " + copied.error().message);
  }
}

}  // namespace lodestone::exporting
