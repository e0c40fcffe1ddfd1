#include "export/export_writers.h"

#include "export/sound_exports.h"
#include "export/text_output.h"

#include <nlohmann/json.hpp>

#include <stb/stb_image_write.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace lodestone::exporting {
namespace {

namespace fs = std::filesystem;

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}


std::string optional_number(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : ""; }
std::string optional_seconds(const std::optional<double>& v) { return v ? seconds_text(*v) : ""; }

// Writes into a sibling path, then renames it over `out` (the old one is removed only
// once the new one is in place).
template <class Write>
void write_atomically(const fs::path& out, bool overwrite, Write write) {
  if (fs::exists(out) && !overwrite) {
    throw ExportError(out.string() + " already exists: choose another path or pass --force");
  }
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  const fs::path partial = out.string() + ".partial-" + std::to_string(getpid());
  fs::remove_all(partial);
  try {
    write(partial);
    if (fs::exists(out)) {
      const fs::path old = out.string() + ".old-" + std::to_string(getpid());
      fs::rename(out, old);
      fs::rename(partial, out);
      fs::remove_all(old);
    } else {
      fs::rename(partial, out);
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(partial, ec);
    throw;
  }
}

// Audio rows add where their clip lies, as the last columns so the others keep their place.
std::string header_csv(bool spans) {
  return std::string("item_id,source,class,origin,annotator,labelled_at,sphere_id,predicted_class,confidence,checkpoint_id") +
         (spans ? ",start_s,end_s\n" : "\n");
}

void write_csv(const ExportData& d, const fs::path& path) {
  std::ofstream out(path);
  out << header_csv(d.has_spans);
  for (const auto& r : d.rows) {
    out << r.item_id << ',' << csv_field(r.source) << ',' << csv_field(r.class_name) << ','
        << r.origin << ',' << csv_field(r.annotator) << ',' << r.labelled_at << ','
        << optional_number(r.sphere_id) << ',';
    if (r.prediction) {
      out << csv_field(d.class_names.at(static_cast<std::size_t>(r.prediction->class_index))) << ','
          << r.prediction->confidence << ',' << optional_number(d.checkpoint_id);
    } else {
      out << ",,";
    }
    if (d.has_spans) out << ',' << optional_seconds(r.start_s) << ',' << optional_seconds(r.end_s);
    out << '\n';
  }
  check_written(out, path);
}

void write_jsonl(const ExportData& d, const fs::path& path) {
  // nlohmann-json escapes every string (quotes, backslashes, control characters) and
  // writes a NaN as null; text that is not valid UTF-8 is written with U+FFFD in place of
  // the bad bytes rather than failing the export.
  std::ofstream out(path);
  for (const auto& r : d.rows) {
    nlohmann::ordered_json row{{"item_id", r.item_id}, {"source", r.source}, {"class", r.class_name}, {"origin", r.origin}};
    if (r.start_s) {
      row["start_s"] = *r.start_s;
      row["end_s"] = r.end_s.value_or(*r.start_s);
    }
    if (!r.predicted) {
      row["annotator"] = r.annotator;
      row["labelled_at"] = r.labelled_at;
      row["sphere_id"] = r.sphere_id ? nlohmann::ordered_json(*r.sphere_id) : nlohmann::ordered_json(nullptr);
    }
    if (r.prediction) {
      row["predicted_class"] = d.class_names.at(static_cast<std::size_t>(r.prediction->class_index));
      row["confidence"] = r.prediction->confidence;
      row["checkpoint_id"] = d.checkpoint_id ? nlohmann::ordered_json(*d.checkpoint_id) : nlohmann::ordered_json(nullptr);
    }
    out << row.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
  check_written(out, path);
}

void write_image_folder(const ExportData& d, const fs::path& dir) {
  fs::create_directories(dir);
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    const auto folder = dir / folder_name(d.rows[i].class_name);
    fs::create_directories(folder);
    const auto file = folder / (std::to_string(d.rows[i].item_id) + ".png");
    if (!stbi_write_png(file.c_str(), d.width, d.height, d.channels, d.pixels[i].data(), d.width * d.channels)) {
      throw ExportError("cannot write " + file.string());
    }
  }
}

void put_be32(std::ofstream& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.put(static_cast<char>((v >> s) & 0xFF));
}

void write_idx(const ExportData& d, const fs::path& dir) {
  if (d.channels != 1) throw ExportError("IDX holds grey images; this dataset has " + std::to_string(d.channels) + " channels");
  if (d.class_names.size() > 256) throw ExportError("IDX labels are bytes: at most 256 classes");
  fs::create_directories(dir);
  std::ofstream images(dir / "images-idx3-ubyte", std::ios::binary), labels(dir / "labels-idx1-ubyte", std::ios::binary);
  images.write("\0\0\x08\x03", 4);
  put_be32(images, static_cast<std::uint32_t>(d.rows.size()));
  put_be32(images, static_cast<std::uint32_t>(d.height));
  put_be32(images, static_cast<std::uint32_t>(d.width));
  labels.write("\0\0\x08\x01", 4);
  put_be32(labels, static_cast<std::uint32_t>(d.rows.size()));
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    images.write(reinterpret_cast<const char*>(d.pixels[i].data()), static_cast<std::streamsize>(d.pixels[i].size()));
    labels.put(static_cast<char>(d.rows[i].class_index));
  }
  check_written(images, dir / "images-idx3-ubyte");
  check_written(labels, dir / "labels-idx1-ubyte");
  std::ofstream names(dir / "classes.txt");
  for (std::size_t k = 0; k < d.class_names.size(); ++k) names << k << ' ' << d.class_names[k] << '\n';
  check_written(names, dir / "classes.txt");
}

}  // namespace

// Class names become folder names: keep them safe as one path component.
std::string folder_name(const std::string& name) {
  std::string out;
  for (char c : name) out += (c == '/' || c == '\\' || c == '\0') ? '_' : c;
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

std::optional<Format> parse_format(const std::string& name) {
  if (name == "csv") return Format::Csv;
  if (name == "jsonl") return Format::JsonLines;
  if (name == "imagefolder") return Format::ImageFolder;
  if (name == "idx") return Format::Idx;
  if (name == "embedding") return Format::Embedding;
  if (name == "raven") return Format::Raven;
  if (name == "audacity") return Format::Audacity;
  if (name == "clips") return Format::AudioClips;
  return std::nullopt;
}

ExportSummary write_export(const ExportData& data, Format format, const fs::path& out, bool overwrite) {
  write_atomically(out, overwrite, [&](const fs::path& partial) {
    switch (format) {
      case Format::Csv: write_csv(data, partial); break;
      case Format::JsonLines: write_jsonl(data, partial); break;
      case Format::ImageFolder: write_image_folder(data, partial); break;
      case Format::Idx: write_idx(data, partial); break;
      case Format::Raven: write_raven_tables(data, partial); break;
      case Format::Audacity: write_audacity_labels(data, partial); break;
      case Format::AudioClips: write_audio_clips(data, partial); break;
      case Format::Embedding: throw ExportError("the embedding format is written by write_embedding_csv");
    }
  });
  ExportSummary summary{out, data.rows.size(), {}};
  for (const auto& r : data.rows) ++summary.per_class[r.class_name];
  return summary;
}

ExportSummary write_embedding_csv(const std::vector<std::int64_t>& item_ids, const std::vector<Vec3>& latent,
                                  const std::vector<Vec3>& room, const fs::path& out, bool overwrite) {
  write_atomically(out, overwrite, [&](const fs::path& partial) {
    std::ofstream csv(partial);
    csv << "item_id,latent_x,latent_y,latent_z,room_x,room_y,room_z\n";
    for (std::size_t i = 0; i < latent.size(); ++i) {
      csv << item_ids[i] << ',' << latent[i].x << ',' << latent[i].y << ',' << latent[i].z << ',' << room[i].x
          << ',' << room[i].y << ',' << room[i].z << '\n';
    }
    check_written(csv, partial);
  });
  return {out, latent.size(), {}};
}

}  // namespace lodestone::exporting
