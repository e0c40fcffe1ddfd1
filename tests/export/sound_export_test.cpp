// Labelled windows of recordings, exported for Raven, Audacity and as WAV clips per class.
#include "audio/clip_reader.h"
#include "audio/synthetic_calls.h"
#include "export/export_writers.h"
#include "export/sound_exports.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace lodestone::exporting {
namespace {

using lodestone::testing::TempDir;
namespace fs = std::filesystem;

ExportRow window(std::int64_t id, const std::string& source, double start, const std::string& class_name,
                 const std::string& annotator = "ada") {
  ExportRow row;
  row.item_id = id;
  row.source = source;
  row.start_s = start;
  row.end_s = start + 2;
  row.class_name = class_name;
  row.annotator = annotator;
  return row;
}

ExportData recordings(const fs::path& folder) {
  ExportData data;
  data.has_spans = true;
  data.sample_rate = 16000;
  data.source_path = folder.string();
  data.class_names = {"owl", "frog"};
  // Owl windows at 0 and 1 overlap; the one at 3 starts where the one at 1 ends.
  data.rows = {window(1, "site-a/night.wav", 0, "owl"), window(2, "site-a/night.wav", 1, "owl", "bob"),
               window(3, "site-a/night.wav", 3, "owl"), window(4, "site-a/night.wav", 8, "owl"),
               window(5, "site-a/night.wav", 1, "frog"), window(6, "dawn.wav", 0, "frog")};
  data.pixels.resize(data.rows.size());
  return data;
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(SoundExport, RavenTablesMergeOverlappingWindowsOfAClassPerRecording) {
  TempDir dir;
  write_raven_tables(recordings(dir.path()), dir / "raven");
  const auto night = lines(dir / "raven" / "site-a_night.Table.1.selections.txt");
  ASSERT_EQ(night.size(), 4u);
  EXPECT_EQ(night[0],
            "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\t"
            "Class\tAnnotator\tOrigin");
  // Owl 0–2, 1–3 and 3–5 touch: one selection 0–5 by both annotators; frog 1–3; owl 8–10.
  EXPECT_EQ(night[1], "1\tSpectrogram 1\t1\t0.000\t5.000\t0\t8000\tnight.wav\towl\tada;bob\tmanual");
  EXPECT_EQ(night[2], "2\tSpectrogram 1\t1\t1.000\t3.000\t0\t8000\tnight.wav\tfrog\tada\tmanual");
  EXPECT_EQ(night[3], "3\tSpectrogram 1\t1\t8.000\t10.000\t0\t8000\tnight.wav\towl\tada\tmanual");
  EXPECT_EQ(lines(dir / "raven" / "dawn.Table.1.selections.txt").size(), 2u);
}

TEST(SoundExport, AudacityLabelTracksHoldStartEndAndClass) {
  TempDir dir;
  write_audacity_labels(recordings(dir.path()), dir / "audacity");
  EXPECT_EQ(lines(dir / "audacity" / "site-a_night.labels.txt"),
            (std::vector<std::string>{"0.000\t5.000\towl", "1.000\t3.000\tfrog", "8.000\t10.000\towl"}));
  EXPECT_EQ(lines(dir / "audacity" / "dawn.labels.txt"), (std::vector<std::string>{"0.000\t2.000\tfrog"}));
}

TEST(SoundExport, ClipsAreCutFromTheRecordingsIntoAFolderPerClass) {
  TempDir dir;
  fs::create_directories(dir / "site-a");
  std::vector<float> night(16000 * 12, 0.25f), dawn(16000 * 3, -0.25f);
  audio::write_sound(dir / "site-a" / "night.wav", night, 16000, "wav");
  audio::write_sound(dir / "dawn.wav", dawn, 16000, "flac");  // named .wav, holds FLAC: read by content
  const auto summary = write_export(recordings(dir.path()), Format::AudioClips, dir / "clips", false);
  EXPECT_EQ(summary.per_class.at("owl"), 4u);
  for (const auto& [cls, id] : std::vector<std::pair<std::string, int>>{{"owl", 1}, {"owl", 4}, {"frog", 6}}) {
    const auto clip = audio::probe_sound(dir / "clips" / cls / (std::to_string(id) + ".wav"));
    ASSERT_TRUE(clip) << clip.error().message;
    EXPECT_EQ(clip->sample_rate, 16000);
    EXPECT_EQ(clip->frames, 32000) << cls << " " << id;
  }
}

TEST(SoundExport, ImagesHaveNoRecordingsToExport) {
  TempDir dir;
  ExportData images;
  images.class_names = {"cat"};
  ExportRow row;
  row.class_name = "cat";
  images.rows = {row};
  images.pixels.resize(1);
  EXPECT_THROW(write_export(images, Format::Raven, dir / "raven", false), ExportError);
  EXPECT_FALSE(fs::exists(dir / "raven"));  // a failed export leaves nothing
  // A recording that is gone fails the clip export by item, and leaves nothing either.
  EXPECT_THROW(write_export(recordings(dir / "nowhere"), Format::AudioClips, dir / "clips", false), ExportError);
  EXPECT_FALSE(fs::exists(dir / "clips"));
}

}  // namespace
}  // namespace lodestone::exporting
