// Clips travel as FLAC and are written out as WAV: what goes in comes out (to 16 bits),
// and bytes that are not a clip, or a clip longer than a client takes, are refused.
#include "audio/clip_codec.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <numbers>

namespace lodestone::audio {
namespace {

MonoClip chirp(int rate, double seconds) {
  MonoClip clip{rate, std::vector<float>(static_cast<std::size_t>(rate * seconds))};
  for (std::size_t i = 0; i < clip.samples.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    clip.samples[i] = 0.6f * static_cast<float>(std::sin(2 * std::numbers::pi * (300 + 400 * t) * t));
  }
  return clip;
}

float largest_difference(const MonoClip& a, const MonoClip& b) {
  float worst = 0;
  for (std::size_t i = 0; i < std::min(a.samples.size(), b.samples.size()); ++i) {
    worst = std::max(worst, std::abs(a.samples[i] - b.samples[i]));
  }
  return worst;
}

TEST(ClipCodec, FlacCarriesTheSamplesAndTheRateTo16Bits) {
  for (const int rate : {kMinClipRate, 8000, 22050, 48000, kMaxClipRate}) {
    const auto clip = chirp(rate, 1.5);
    const auto flac = encode_flac(clip);
    ASSERT_TRUE(flac) << flac.error();
    EXPECT_EQ(std::string(flac->begin(), flac->begin() + 4), "fLaC");
    if (rate >= 8000) {  // below, the chirp aliases into noise FLAC cannot shrink
      EXPECT_LT(flac->size(), clip.samples.size() * 2) << "FLAC should be smaller than the 16-bit samples";
    }
    const auto back = decode_clip(*flac, 1u << 20);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->sample_rate, rate);
    ASSERT_EQ(back->samples.size(), clip.samples.size());
    EXPECT_LT(largest_difference(clip, *back), 2.0f / 32768);
  }
}

TEST(ClipCodec, SamplesBeyondFullScaleAreClippedNotWrapped) {
  const MonoClip loud{16000, {1.7f, -3.0f, 0.5f}};
  const auto back = decode_clip(*encode_flac(loud), 16);
  ASSERT_TRUE(back);
  EXPECT_GT(back->samples[0], 0.99f);
  EXPECT_LT(back->samples[1], -0.99f);
  EXPECT_NEAR(back->samples[2], 0.5f, 1e-3f);
}

TEST(ClipCodec, WhatIsNotAClipIsRefusedWithTheReason) {
  EXPECT_FALSE(encode_flac(MonoClip{0, {0.1f}}));
  EXPECT_FALSE(encode_flac(MonoClip{16000, {}}));
  EXPECT_FALSE(decode_clip({}, 100));
  const std::vector<std::uint8_t> garbage(500, 0x5a);
  const auto refused = decode_clip(garbage, 100);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("not a sound clip"), std::string::npos) << refused.error();
  auto flac = *encode_flac(chirp(16000, 1.0));
  const auto too_long = decode_clip(flac, 1000);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().find("16000 samples"), std::string::npos) << too_long.error();
  // A clip cut short in transit: what is whole still plays, or it is refused; never a crash.
  flac.resize(flac.size() / 3);
  const auto cut = decode_clip(flac, 1u << 20);
  if (cut) {
    EXPECT_LE(cut->samples.size(), 16000u);
  }
}

TEST(ClipCodec, WavFilesHoldTheClip) {
  testing::TempDir dir;
  const auto clip = chirp(16000, 0.5);
  ASSERT_TRUE(write_wav(dir / "clip.wav", clip));
  std::ifstream in(dir / "clip.wav", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "RIFF");
  const auto back = decode_clip(bytes, 1u << 20);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->samples.size(), clip.samples.size());
  EXPECT_LT(largest_difference(clip, *back), 2.0f / 32768);
  const auto unwritable = write_wav(dir / "no-such-folder" / "clip.wav", clip);
  ASSERT_FALSE(unwritable);
  EXPECT_NE(unwritable.error().find("no-such-folder/clip.wav"), std::string::npos) << unwritable.error();
}

}  // namespace
}  // namespace lodestone::audio
