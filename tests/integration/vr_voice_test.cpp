// Voice between annotators, end to end: one lodestone-vr says a recorded phrase into a
// real server's room, another records what it hears; the recording must be the phrase
// (cross-correlation of their envelopes), come within the mouth-to-ear bound, at a
// talker's bitrate. A viewer in a room where only annotators speak, and a person the
// listener muted, are not heard.
#include "audio/clip_codec.h"
#include "core/room_client.h"
#include "store/database.h"
#include "support/server_process.h"
#include "support/time_scale.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <thread>

namespace lodestone {
namespace {

using testing::ServerProcess;
namespace fs = std::filesystem;

audio::MonoClip read_sound(const fs::path& path) {
  auto clip = audio::read_sound_file(path, 1u << 26);
  if (!clip) throw std::runtime_error(clip.error());
  return std::move(*clip);
}

// A phrase-like signal at 16 kHz: syllables of rising and falling pitch, with pauses.
audio::MonoClip phrase() {
  constexpr int kRate = 16000;
  audio::MonoClip clip{kRate, std::vector<float>(static_cast<std::size_t>(2.4 * kRate), 0.0f)};
  const double syllables[][3] = {{0.1, 0.35, 300}, {0.5, 0.8, 520}, {0.95, 1.2, 410}, {1.5, 1.9, 260}, {2.0, 2.3, 600}};
  for (const auto& s : syllables) {
    for (auto i = static_cast<std::size_t>(s[0] * kRate); i < static_cast<std::size_t>(s[1] * kRate); ++i) {
      const double t = static_cast<double>(i) / kRate - s[0];
      const double length = s[1] - s[0];
      const double envelope = std::sin(std::numbers::pi * t / length);
      const double pitch = s[2] * (1 + 0.3 * t / length);
      clip.samples[i] = static_cast<float>(0.5 * envelope * (std::sin(2 * std::numbers::pi * pitch * t) +
                                                             0.4 * std::sin(4 * std::numbers::pi * pitch * t)));
    }
  }
  return clip;
}

// 10 ms loudness (RMS) of a clip: what survives a speech codec and a different rate.
std::vector<double> envelope(const audio::MonoClip& clip) {
  const auto step = static_cast<std::size_t>(clip.sample_rate / 100);
  std::vector<double> out;
  for (std::size_t at = 0; at + step <= clip.samples.size(); at += step) {
    double sum = 0;
    for (std::size_t i = at; i < at + step; ++i) sum += static_cast<double>(clip.samples[i]) * clip.samples[i];
    out.push_back(std::sqrt(sum / static_cast<double>(step)));
  }
  return out;
}

// The best normalised correlation of `said` inside `heard` (over every lag), and that lag.
std::pair<double, int> best_match(const std::vector<double>& said, const std::vector<double>& heard) {
  double best = -1;
  int best_lag = 0;
  for (int lag = 0; lag + static_cast<int>(said.size()) <= static_cast<int>(heard.size()); ++lag) {
    double ab = 0, aa = 0, bb = 0, ma = 0, mb = 0;
    for (std::size_t i = 0; i < said.size(); ++i) ma += said[i], mb += heard[i + static_cast<std::size_t>(lag)];
    ma /= static_cast<double>(said.size());
    mb /= static_cast<double>(said.size());
    for (std::size_t i = 0; i < said.size(); ++i) {
      const double a = said[i] - ma, b = heard[i + static_cast<std::size_t>(lag)] - mb;
      ab += a * b, aa += a * a, bb += b * b;
    }
    if (aa > 0 && bb > 0 && ab / std::sqrt(aa * bb) > best) best = ab / std::sqrt(aa * bb), best_lag = lag;
  }
  return {best, best_lag};
}

// A `record` line, long enough for the other client to start and speak even when every
// process runs slower (the sanitizers' build).
std::string record_line(double seconds, const std::string& file) {
  return "record " + std::to_string(seconds * testing::time_scale()) + " " + file + "\n";
}

std::string wait_line(double seconds) { return "wait " + std::to_string(seconds * testing::time_scale()) + "\n"; }

struct Voices {
  testing::CommandResult speaker, listener;
};

// `speaker_script` and `listener_script` run at once, in two lodestone-vr processes.
Voices run_pair(const ServerProcess& server, const std::string& speaker_token, const std::string& speaker_script,
                const std::string& listener_token, const std::string& listener_script) {
  const auto dir = server.data_dir() / "vr";
  fs::create_directories(dir);
  std::ofstream(dir / "speaker.txt") << speaker_script;
  std::ofstream(dir / "listener.txt") << listener_script;
  const auto args = [&](const std::string& token, const std::string& name, const char* script) {
    return std::vector<std::string>{LODESTONE_VR_BIN, "--headless", "--token", token, "--name", name, "--port",
                                    std::to_string(server.port()), "--script", (dir / script).string(), "--out",
                                    dir.string(), "--width", "64", "--height", "48", "--no-cache"};
  };
  Voices v;
  std::thread listener([&] { v.listener = testing::run_command(args(listener_token, "lee", "listener.txt")); });
  v.speaker = testing::run_command(args(speaker_token, "sam", "speaker.txt"));
  listener.join();
  return v;
}

TEST(VrVoice, WhatOneSaysAnotherHearsWithinAFewFramesAtATalkersBitrate) {
  ServerProcess server(400, 8);
  const auto sam = server.make_token("sam", "annotator");
  const auto lee = server.make_token("lee", "viewer");  // viewers listen
  server.start();
  const auto said = phrase();
  ASSERT_TRUE(audio::write_wav(server.data_dir() / "phrase.wav", said));
  // The listener joins first and records long enough for the speaker to join and speak.
  const auto v = run_pair(server, sam, wait_line(1.5) + "say " + (server.data_dir() / "phrase.wav").string() + "\nwait 3\n",
                          lee, record_line(6, "heard.wav"));
  ASSERT_EQ(v.speaker.exit_code, 0) << v.speaker.out;
  ASSERT_EQ(v.listener.exit_code, 0) << v.listener.out;
  const auto heard = read_sound(server.data_dir() / "vr" / "heard.wav");
  EXPECT_EQ(heard.sample_rate, 48000);
  const auto [correlation, lag] = best_match(envelope(said), envelope(heard));
  EXPECT_GT(correlation, 0.9) << "the recording is not the phrase; the listener said:\n" << v.listener.out;

  // The listener's own account: every frame came, quickly, at Opus's 24 kbit/s.
  const auto at = v.listener.out.find("voice of sam: ");
  ASSERT_NE(at, std::string::npos) << v.listener.out;
  const std::string account = v.listener.out.substr(at, v.listener.out.find('\n', at) - at);
  unsigned frames = 0, concealed = 0, late = 0, p50 = 0, p95 = 0;
  double kbit = 0;
  ASSERT_EQ(std::sscanf(account.c_str(),
                        "voice of sam: %u frames, %u concealed, %u late; mouth-to-ear p50 %u ms, p95 %u ms; %lf kbit/s",
                        &frames, &concealed, &late, &p50, &p95, &kbit),
            6)
      << account;
  std::printf("heard the phrase at envelope correlation %.3f, %d ms into the recording; %s\n", correlation, lag * 10,
              account.c_str());
  EXPECT_GE(frames, 115u) << "2.4 s is 120 frames";
  EXPECT_LE(kbit, 32.0) << "kbit/s per talker (Opus at a constant 24)";
  // Mouth-to-ear is printed above, not asserted: it is a timing, measured where timings
  // belong too (room_bench's voice row), and the sanitizers' build stretches it.
  (void)p50, (void)p95;
}

TEST(VrVoice, AViewerIsNotHeardWhereOnlyAnnotatorsSpeakNorAMutedPerson) {
  ServerProcess server(400, 8);
  const auto viewer = server.make_token("sam", "viewer");
  const auto lee = server.make_token("lee", "annotator");
  server.capture_log();
  server.start();
  ASSERT_TRUE(audio::write_wav(server.data_dir() / "phrase.wav", phrase()));
  const auto say = wait_line(1.5) + "say " + (server.data_dir() / "phrase.wav").string() + "\nwait 3\n";
  const auto quiet = run_pair(server, viewer, say, lee, record_line(6, "heard.wav"));
  ASSERT_EQ(quiet.listener.exit_code, 0) << quiet.listener.out;
  EXPECT_EQ(quiet.listener.out.find("voice of sam"), std::string::npos) << quiet.listener.out;
  EXPECT_NE(server.log().find("dropping sam's voice: their role may not speak"), std::string::npos) << server.log();

  const auto speaker = server.make_token("ann", "annotator");
  const auto later = wait_line(3) + "say " + (server.data_dir() / "phrase.wav").string() + "\nwait 3\n";
  const auto muted = run_pair(server, speaker, later, lee, wait_line(2) + "mute ann\n" + record_line(5, "muted.wav"));
  ASSERT_EQ(muted.listener.exit_code, 0) << muted.listener.out;
  EXPECT_NE(muted.listener.out.find("muted ann"), std::string::npos) << muted.listener.out;
  EXPECT_EQ(muted.listener.out.find("voice of ann"), std::string::npos) << muted.listener.out;
}

// A lead mutes a person for the whole room from the console: the server drops their voice.
TEST(VrVoice, ALeadMutesSomeoneForTheWholeRoom) {
  ServerProcess server(400, 8);
  const auto ann = server.make_token("ann", "annotator");
  const auto lee = server.make_token("lee", "annotator");
  const auto lead_token = server.make_token("lea", "lead");
  server.capture_log();
  server.start();
  ASSERT_TRUE(audio::write_wav(server.data_dir() / "phrase.wav", phrase()));
  std::int64_t ann_id = 0;
  {
    auto db = store::Database::open(server.database());
    auto q = db.prepare("SELECT id FROM users WHERE name = 'ann'");
    ASSERT_TRUE(q.step());
    ann_id = q.int64(0);
  }
  client::RoomClient lead({"127.0.0.1", server.port(), lead_token, "lea", ClientKind::Console});
  ASSERT_TRUE(lead.connect()) << lead.error();
  ASSERT_TRUE(lead.poll_until([&] { return lead.scene().has_keyframe; }, 15000));
  const auto request = lead.send_request(VoiceCommand{0, static_cast<UserId>(ann_id), true});
  ASSERT_TRUE(lead.poll_until([&] { return lead.replies(request) && lead.replies(request)->result; }, 5000));
  EXPECT_TRUE(lead.replies(request)->result->ok()) << lead.replies(request)->result->message;
  EXPECT_NE(lead.replies(request)->result->message.find("muted for the room"), std::string::npos);

  const auto say = wait_line(1.5) + "say " + (server.data_dir() / "phrase.wav").string() + "\nwait 3\n";
  const auto v = run_pair(server, ann, say, lee, record_line(6, "heard.wav"));
  ASSERT_EQ(v.listener.exit_code, 0) << v.listener.out;
  EXPECT_EQ(v.listener.out.find("voice of ann"), std::string::npos) << v.listener.out;
  EXPECT_NE(server.log().find("dropping ann's voice: a lead has muted them"), std::string::npos) << server.log();
  lead.disconnect();
}

}  // namespace
}  // namespace lodestone
