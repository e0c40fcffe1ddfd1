// Sound files become items: windows of each recording, their log-mel spectrograms as
// thumbnails, their place in the recording kept; broken files are refused by name.
#include "audio/clip_reader.h"
#include "audio/log_mel.h"
#include "audio/synthetic_calls.h"
#include "dataset/dataset_store.h"
#include "dataset/readers.h"
#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <numbers>

#include <sndfile.h>

namespace lodestone::dataset {
namespace {

using lodestone::testing::TempDir;
namespace fs = std::filesystem;

std::vector<float> tone(double hz, double seconds, int rate, float amplitude = 0.5f) {
  std::vector<float> samples(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  }
  return samples;
}

// The image row (0 = top = highest band) holding most of the spectrogram's brightness.
int brightest_row(const std::vector<std::uint8_t>& image, int size) {
  int best = 0;
  long best_sum = -1;
  for (int row = 0; row < size; ++row) {
    long sum = 0;
    for (int col = 0; col < size; ++col) sum += image[static_cast<std::size_t>(row * size + col)];
    if (sum > best_sum) best_sum = sum, best = row;
  }
  return best;
}

void write_bytes(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A 16-bit mono WAV header with the given sample rate, claiming data_bytes of samples,
// followed by actual_bytes of silence.
std::string wav_bytes(std::uint32_t rate, std::uint32_t data_bytes, std::size_t actual_bytes) {
  std::string b;
  const auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xff); };
  const auto u16 = [&](std::uint16_t v) { b += static_cast<char>(v & 0xff); b += static_cast<char>(v >> 8); };
  b += "RIFF"; u32(36 + data_bytes); b += "WAVE";
  b += "fmt "; u32(16); u16(1); u16(1); u32(rate); u32(rate * 2); u16(2); u16(16);
  b += "data"; u32(data_bytes);
  b += std::string(actual_bytes, '\0');
  return b;
}

TEST(AudioImport, GeneratedCallsBecomeOneItemPerClipWithTheirKindAsGroundTruth) {
  TempDir dir;
  audio::CallsOptions calls;
  calls.per_class = 4;
  calls.format = "flac";
  audio::write_calls(dir / "calls", calls);
  std::size_t last_done = 0, last_total = 0;
  const auto data = read_audio_folder(dir / "calls", {}, [&](std::size_t done, std::size_t total) {
    last_done = done;
    last_total = total;
  });
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->source_kind, "audio-folder");
  EXPECT_EQ(data->width, 32);
  EXPECT_EQ(data->channels, 1);
  ASSERT_EQ(data->items.size(), 4 * audio::call_kinds().size());
  std::map<std::string, int> per_kind;
  for (const auto& item : data->items) {
    ASSERT_TRUE(item.ground_truth && item.span);
    ++per_kind[*item.ground_truth];
    EXPECT_DOUBLE_EQ(item.span->start, 0.0);
    EXPECT_NEAR(item.span->end, 2.0, 1e-6);
    EXPECT_NE(item.source.find(*item.ground_truth + "/"), std::string::npos) << item.source;
    // A call in noise: the picture has both dark and bright parts.
    const auto [lo, hi] = std::minmax_element(item.pixels.begin(), item.pixels.end());
    EXPECT_GT(*hi - *lo, 100) << item.source;
  }
  for (const auto& kind : audio::call_kinds()) EXPECT_EQ(per_kind[kind], 4) << kind;
  EXPECT_EQ(last_total, 48u);  // seconds of sound in the folder
  EXPECT_EQ(last_done, 48u);
}

TEST(AudioImport, LongRecordingsAreCutIntoHoppedWindowsAtTheTargetRate) {
  TempDir dir;
  fs::create_directories(dir / "rec");
  // 5.5 s at 44.1 kHz, resampled to 16 kHz: windows of 2 s every 1 s start at 0, 1, 2, 3
  // and, for the 1.5 s tail that no window covered fully, 4 (padded with silence).
  audio::write_sound(dir / "rec" / "long.wav", tone(1000, 5.5, 44100), 44100, "wav");
  audio::write_sound(dir / "rec" / "short.wav", tone(1000, 0.5, 16000), 16000, "wav");
  const auto data = read_audio_folder(dir / "rec", {});
  ASSERT_TRUE(data) << data.error().message;
  std::vector<double> starts;
  for (const auto& item : data->items) {
    EXPECT_FALSE(item.ground_truth);  // files directly in the folder have no class
    if (item.source == "long.wav") starts.push_back(item.span->start);
    if (item.source == "short.wav") {
      EXPECT_DOUBLE_EQ(item.span->start, 0.0);
      EXPECT_NEAR(item.span->end, 0.5, 1e-6);  // its one window, padded, ends with the sound
    }
  }
  EXPECT_EQ(data->items.size(), 6u);
  EXPECT_EQ(starts, (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_NEAR(data->items[4].span->end, 5.5, 1e-6);
}

TEST(AudioImport, SpectrogramsPutHigherPitchesHigherUp) {
  audio::LogMelSpectrogram spectrogram({16000, 32000, 32, 32});
  const int low = brightest_row(spectrogram.image(tone(300, 2, 16000)), 32);
  const int high = brightest_row(spectrogram.image(tone(3000, 2, 16000)), 32);
  EXPECT_LT(high, low);  // row 0 is the top of the image
  const auto silence = spectrogram.image(std::vector<float>(32000, 0.0f));
  EXPECT_TRUE(std::all_of(silence.begin(), silence.end(), [](std::uint8_t p) { return p == 0; }));
}

TEST(AudioImport, BrokenFilesAreRefusedByNameBeforeAnythingIsRead) {
  TempDir dir;
  fs::create_directories(dir / "a" / "calls");
  audio::write_sound(dir / "a" / "calls" / "good.wav", tone(800, 2, 16000), 16000, "wav");
  const auto refused = [&](const std::string& name, const std::string& bytes) {
    const auto path = dir / "a" / "calls" / name;
    write_bytes(path, bytes);
    const auto data = read_audio_folder(dir / "a", {});
    fs::remove(path);
    return data ? std::string("(imported)") : data.error().message;
  };
  EXPECT_NE(refused("empty.wav", "").find("empty.wav: is empty"), std::string::npos);
  EXPECT_NE(refused("text.wav", "not a sound at all, just words").find("text.wav: cannot read it as sound"),
            std::string::npos);
  const auto zero_rate = refused("zero-rate.wav", wav_bytes(0, 3200, 3200));
  EXPECT_NE(zero_rate.find("zero-rate.wav"), std::string::npos) << zero_rate;
  const auto no_samples = refused("no-samples.wav", wav_bytes(16000, 0, 0));
  EXPECT_NE(no_samples.find("no-samples.wav"), std::string::npos) << no_samples;

  // A header that promises more samples than the file holds: what is there is read.
  write_bytes(dir / "a" / "calls" / "lying.wav", wav_bytes(16000, 1'000'000, 16000));
  const auto lying = read_audio_folder(dir / "a", {});
  ASSERT_TRUE(lying) << lying.error().message;
  EXPECT_EQ(lying->items.size(), 2u);

  fs::create_directories(dir / "none");
  write_bytes(dir / "none" / "notes.txt", "no sound here");
  const auto none = read_audio_folder(dir / "none", {});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("holds no sound files"), std::string::npos);

  AudioImportOptions bad;
  bad.hop_seconds = 3;  // longer than the window
  const auto hop = read_audio_folder(dir / "a", bad);
  ASSERT_FALSE(hop);
  EXPECT_NE(hop.error().message.find("hop"), std::string::npos);
}

TEST(AudioImport, StoredItemsKeepTheirPlaceInTheRecording) {
  TempDir dir;
  fs::create_directories(dir / "rec");
  audio::write_sound(dir / "rec" / "long.wav", tone(500, 3.5, 16000), 16000, "wav");
  const auto data = read_audio_folder(dir / "rec", {});
  ASSERT_TRUE(data) << data.error().message;
  auto db = store::Database::open(dir / "store.db");
  store::apply_migrations(db, store::bundled_migrations());
  const auto stored = store_dataset(db, *data);
  auto q = db.prepare("SELECT source, start_s, end_s FROM items WHERE dataset_id = ? ORDER BY ordinal");
  q.bind(1, stored.dataset_id);
  std::vector<std::pair<double, double>> spans;
  while (q.step()) {
    EXPECT_EQ(q.text(0), "long.wav");
    spans.emplace_back(q.real(1), q.real(2));
  }
  EXPECT_EQ(spans, (std::vector<std::pair<double, double>>{{0, 2}, {1, 3}, {2, 3.5}}));
  EXPECT_EQ(find_dataset(db, stored.dataset_id)->source_kind, "audio-folder");
}

// A stereo 16-bit WAV: `left` on the left channel, silence on the right.
void write_stereo(const fs::path& path, const std::vector<float>& left, int rate) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr);
  std::vector<float> frames(left.size() * 2, 0.0f);
  for (std::size_t i = 0; i < left.size(); ++i) frames[2 * i] = left[i];
  sf_writef_float(file, frames.data(), static_cast<sf_count_t>(left.size()));
  sf_close(file);
}

double rms(std::span<const float> samples) {
  double sum = 0;
  for (float s : samples) sum += static_cast<double>(s) * s;
  return samples.empty() ? 0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace

// What a listener hears of an item: its own window of the recording, mixed to mono, at the
// recording's own rate.
TEST(AudioClips, AClipIsItsWindowOfTheRecordingMixedToMonoAtItsOwnRate) {
  TempDir dir;
  // One second of silence, then one second of tone: a clip of 1.0..2.0 s holds the tone.
  auto samples = std::vector<float>(44100, 0.0f);
  const auto beep = tone(440, 1.0, 44100, 0.8f);
  samples.insert(samples.end(), beep.begin(), beep.end());
  write_stereo(dir / "two.wav", samples, 44100);

  auto clip = audio::read_clip(dir / "two.wav", 1.0, 2.0);
  ASSERT_TRUE(clip) << clip.error().message;
  EXPECT_EQ(clip->sample_rate, 44100);
  EXPECT_EQ(clip->samples.size(), 44100u);
  // The tone on one channel of two: half its level in the mono mix (0.8 / 2 / √2).
  EXPECT_NEAR(rms(clip->samples), 0.8 / 2 / std::sqrt(2.0), 0.01);
  auto quiet = audio::read_clip(dir / "two.wav", 0.0, 1.0);
  ASSERT_TRUE(quiet);
  EXPECT_LT(rms(quiet->samples), 0.001);
}

TEST(AudioClips, ClipsAreResampledAbove48kHzCutAt30SecondsAndEndWithTheRecording) {
  TempDir dir;
  audio::write_sound(dir / "high.wav", tone(1000, 1.0, 96000), 96000, "wav");
  auto high = audio::read_clip(dir / "high.wav", 0.0, 1.0);
  ASSERT_TRUE(high) << high.error().message;
  EXPECT_EQ(high->sample_rate, 48000);
  EXPECT_NEAR(static_cast<double>(high->samples.size()), 48000.0, 64.0);
  EXPECT_NEAR(rms(std::span(high->samples).subspan(1000, 40000)), 0.5 / std::sqrt(2.0), 0.02);

  audio::write_sound(dir / "long.wav", tone(300, 40.0, 8000), 8000, "wav");
  auto capped = audio::read_clip(dir / "long.wav", 2.0, 39.0);
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->samples.size(), 30u * 8000u);
  // A window past the recording's end holds what there is.
  auto tail = audio::read_clip(dir / "long.wav", 39.5, 41.5);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->samples.size(), 4000u);
  auto beyond = audio::read_clip(dir / "long.wav", 45.0, 47.0);
  ASSERT_FALSE(beyond);
  EXPECT_NE(beyond.error().message.find("long.wav"), std::string::npos) << beyond.error().message;
  auto missing = audio::read_clip(dir / "gone.wav", 0.0, 1.0);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("gone.wav: not a file"), std::string::npos) << missing.error().message;
}

}  // namespace lodestone::dataset
