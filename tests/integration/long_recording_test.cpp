// A ten-hour field recording through the real commands: generate-audio writes it (1.15 GB
// of 16-bit WAV at 16 kHz), `import audio` cuts it into windows with progress, in memory
// that does not grow with the recording, and `datasets` lists its duration.
#include "support/server_process.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace lodestone::testing {
namespace {

const std::string kServer = LODESTONE_SERVER_BIN;

// generate-audio FOLDER with one clip of each kind and a field recording of `minutes`.
void generate(const std::filesystem::path& folder, int minutes) {
  const auto made = run_command({kServer, "generate-audio", folder.string(), "--per-class", "1", "--field-minutes",
                                 std::to_string(minutes)});
  ASSERT_EQ(made.exit_code, 0) << "generate-audio " << folder;
}

CommandResult import_audio(const std::filesystem::path& data, const std::filesystem::path& folder) {
  return run_command(with_log_on_stdout({kServer, "--data-dir", data.string(), "import", "audio", folder.string()}));
}

TEST(LongRecording, TenHoursImportInBoundedMemoryWithProgress) {
  // A sanitizer build keeps up to 256 MB of freed memory in quarantine: that is the
  // sanitizer's, not the import's. (Ignored by a build without it.)
  const char* asan = std::getenv("ASAN_OPTIONS");
  setenv("ASAN_OPTIONS", ((asan && *asan ? std::string(asan) + ":" : std::string()) + "quarantine_size_mb=8").c_str(), 1);

  TempDir dir;
  generate(dir / "minute", 1);
  generate(dir / "ten-hours", 600);
  const auto recording = dir / "ten-hours" / "field-recording.wav";
  const auto recording_bytes = std::filesystem::file_size(recording);
  EXPECT_EQ(recording_bytes, 44u + 600u * 60u * 16000u * 2u) << "ten hours of 16-bit mono at 16 kHz, and its header";

  const auto minute = import_audio(dir / "data-minute", dir / "minute");
  const auto hours = import_audio(dir / "data-hours", dir / "ten-hours");
  ASSERT_EQ(minute.exit_code, 0) << minute.out;
  ASSERT_EQ(hours.exit_code, 0) << hours.out;

  // Progress as it reads: every tenth, in order, to the end.
  std::vector<int> percents;
  const std::string progress = "reading audio: ";
  for (auto at = hours.out.find(progress); at != std::string::npos; at = hours.out.find(progress, at + 1)) {
    const auto digits = at + progress.size();
    if (digits < hours.out.size() && std::isdigit(static_cast<unsigned char>(hours.out[digits]))) {
      percents.push_back(std::stoi(hours.out.substr(digits)));
    }
  }
  ASSERT_GE(percents.size(), 10u) << hours.out;
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << hours.out;
  EXPECT_EQ(percents.back(), 100) << hours.out;

  // One window a second (2 s windows, 1 s hop), and the six clips.
  // "imported dataset ID 'NAME': N items ..."
  const auto imported = hours.out.find("imported dataset ");
  ASSERT_NE(imported, std::string::npos) << hours.out;
  const auto count = hours.out.find("': ", imported);
  ASSERT_NE(count, std::string::npos) << hours.out;
  const auto items = std::stoul(hours.out.substr(count + 3));
  EXPECT_GE(items, 6u + 35999u);
  EXPECT_LE(items, 6u + 36000u);

  // Memory: the windows' spectrograms (1 KB each) are what grows; the samples are read in
  // blocks. Holding the recording would take its 1.15 GB as 16-bit samples, twice that as
  // floats.
  const long growth_kib = hours.peak_memory_kib - minute.peak_memory_kib;
  EXPECT_LT(growth_kib * 1024, static_cast<long>(recording_bytes / 8))
      << "importing ten hours took " << hours.peak_memory_kib / 1024 << " MiB at its peak, one minute "
      << minute.peak_memory_kib / 1024 << " MiB";

  // `datasets` shows what was imported: recordings, duration, windows.
  const auto listed = run_command({kServer, "--data-dir", (dir / "data-hours").string(), "datasets"});
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("sound: 7 recording(s), 600.2 minutes at 16000 Hz, " + std::to_string(items) + " windows"),
            std::string::npos)
      << listed.out;
}

}  // namespace
}  // namespace lodestone::testing
