// Hearing a sound dataset, end to end: lodestone-vr's headless `listen` touches a cube of
// a real server's sound room and writes the clip it would play. The clip must be that
// item's window of the original recording; a second session finds it in its disk cache;
// a room of images, an item that does not exist, or a recording gone from the server each
// say why there is no sound, and the room goes on.
#include "audio/clip_codec.h"
#include "store/database.h"
#include "support/server_process.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace lodestone {
namespace {

using testing::ServerProcess;
namespace fs = std::filesystem;

audio::MonoClip read_sound(const fs::path& path) {
  auto clip = audio::read_sound_file(path, 1u << 26);
  if (!clip) throw std::runtime_error(clip.error());
  return std::move(*clip);
}

// The largest normalised cross-correlation of `a` and `b` within ±`lags` samples.
double best_correlation(const std::vector<float>& a, const std::vector<float>& b, int lags) {
  double best = -1;
  for (int lag = -lags; lag <= lags; ++lag) {
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto j = static_cast<std::ptrdiff_t>(i) + lag;
      if (j < 0 || j >= static_cast<std::ptrdiff_t>(b.size())) continue;
      ab += static_cast<double>(a[i]) * b[static_cast<std::size_t>(j)];
      aa += static_cast<double>(a[i]) * a[i];
      bb += static_cast<double>(b[static_cast<std::size_t>(j)]) * b[static_cast<std::size_t>(j)];
    }
    if (aa > 0 && bb > 0) best = std::max(best, ab / std::sqrt(aa * bb));
  }
  return best;
}

struct Span {
  std::string source;
  double start = 0, end = 0;
};

Span item_span(const ServerProcess& server, int index) {
  auto db = store::Database::open(server.database());
  auto q = db.prepare("SELECT source, start_s, end_s FROM items ORDER BY ordinal LIMIT 1 OFFSET ?");
  q.bind(1, index);
  if (!q.step()) throw std::runtime_error("no item " + std::to_string(index));
  return {q.text(0), q.real(1), q.real(2)};
}

testing::CommandResult listen(const ServerProcess& server, const std::string& token, const std::string& script_text,
                              const std::vector<std::string>& extra = {}) {
  const auto dir = server.data_dir() / "vr";
  fs::create_directories(dir);
  std::ofstream(dir / "script.txt") << script_text;
  std::vector<std::string> argv{LODESTONE_VR_BIN, "--headless", "--token", token, "--port", std::to_string(server.port()),
                                "--script", (dir / "script.txt").string(), "--out", dir.string(), "--width", "160",
                                "--height", "120"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return testing::run_command(argv);
}

TEST(VrListen, AnItemsClipIsItsWindowOfTheRecordingAndIsKeptForTheNextSession) {
  ServerProcess server(ServerProcess::GeneratedCalls{2});
  const auto token = server.make_token("ada", "annotator");
  server.start();
  const auto cache = server.data_dir() / "clip-cache";
  const auto first = listen(server, token, "listen 5 five.wav\n", {"--cache-dir", cache.string()});
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("listen: item 5, 2.00 s at 16000 Hz (from the server)"), std::string::npos) << first.out;

  // The original recording's samples over the item's span, read here on their own.
  const auto span = item_span(server, 5);
  const auto recording = read_sound(server.data_dir() / "calls" / span.source);
  const auto from = static_cast<std::size_t>(span.start * recording.sample_rate);
  const auto to = std::min(recording.samples.size(), static_cast<std::size_t>(span.end * recording.sample_rate));
  const std::vector<float> window(recording.samples.begin() + static_cast<std::ptrdiff_t>(from),
                                  recording.samples.begin() + static_cast<std::ptrdiff_t>(to));
  const auto heard = read_sound(server.data_dir() / "vr" / "five.wav");
  EXPECT_EQ(heard.sample_rate, recording.sample_rate);
  EXPECT_EQ(heard.samples.size(), window.size());
  EXPECT_GT(best_correlation(heard.samples, window, 4), 0.99) << "the clip is not item 5's window of " << span.source;
  // ... and not merely a sound alike: another clip of item 5's kind does not match it.
  for (const auto& entry : fs::directory_iterator(server.data_dir() / "calls" / fs::path(span.source).parent_path())) {
    if (entry.path().filename() == fs::path(span.source).filename()) continue;
    const auto sibling = read_sound(entry.path());
    EXPECT_LT(best_correlation(heard.samples, sibling.samples, 4), 0.5) << entry.path();
  }

  // A later session hears it from its cache; one without a cache asks again.
  const auto again = listen(server, token, "listen 5 again.wav\n", {"--cache-dir", cache.string()});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("listen: item 5, 2.00 s at 16000 Hz (from the cache)"), std::string::npos) << again.out;
  EXPECT_GT(best_correlation(read_sound(server.data_dir() / "vr" / "again.wav").samples, window, 0), 0.99);
  const auto uncached = listen(server, token, "listen 5 uncached.wav\n", {"--no-cache"});
  EXPECT_NE(uncached.out.find("(from the server)"), std::string::npos) << uncached.out;
}

TEST(VrListen, NoSoundIsSaidWithTheReasonAndTheRoomGoesOn) {
  ServerProcess server(ServerProcess::GeneratedCalls{1});
  const auto token = server.make_token("ada", "annotator");
  server.start();
  // The recordings leave the server's disk after the import.
  fs::rename(server.data_dir() / "calls", server.data_dir() / "moved");
  const auto result = listen(server, token, "listen 99 none.wav\nlisten 2 gone.wav\ninspect 2\n", {"--no-cache"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("no sound for item 99: item 99 does not exist (the dataset holds 6 items)"),
            std::string::npos)
      << result.out;
  const auto span = item_span(server, 2);
  EXPECT_NE(result.out.find("no sound for item 2: " + (server.data_dir() / "calls" / span.source).string() +
                            ": not a file"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("inspect: item 2"), std::string::npos) << "the room must go on serving:\n" << result.out;
  EXPECT_FALSE(fs::exists(server.data_dir() / "vr" / "gone.wav"));
}

TEST(VrListen, ARoomOfImagesHasNoClips) {
  ServerProcess server(400, 8);
  const auto token = server.make_token("ada", "annotator");
  server.start();
  const auto result = listen(server, token, "listen 0 image.wav\n", {"--no-cache"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("no sound for item 0: this room shows images"), std::string::npos) << result.out;
  EXPECT_FALSE(fs::exists(server.data_dir() / "vr" / "image.wav"));
}

}  // namespace
}  // namespace lodestone
