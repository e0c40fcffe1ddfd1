// Clips sound from their cube: rendered through OpenAL Soft's loopback device (no sound
// card needed), a cube to the listener's right is louder on the right, turning the head
// turns the sound, and a far cube is quieter than a near one.
#include "audio/openal_output.h"
#include "core/math3d.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace lodestone::audio {
namespace {

constexpr int kRate = 16000;

MonoClip noise_burst() {
  MonoClip clip{kRate, std::vector<float>(kRate)};
  std::uint32_t state = 12345;
  for (auto& s : clip.samples) {
    state = state * 1664525u + 1013904223u;
    s = 0.5f * (static_cast<float>(state >> 8) / static_cast<float>(1u << 24) - 0.5f);
  }
  return clip;
}

struct Levels {
  double left = 0, right = 0;
};

// The left and right levels of a quarter second of what the listener hears.
Levels hear(OpenAlOutput& out, const Pose& head, Vec3 cube) {
  out.place_listener(head);
  out.play(noise_burst(), cube);
  const auto frames = out.render(kRate / 4);
  Levels l;
  for (std::size_t i = 0; i + 1 < frames.size(); i += 2) {
    l.left += static_cast<double>(frames[i]) * frames[i];
    l.right += static_cast<double>(frames[i + 1]) * frames[i + 1];
  }
  out.stop();
  return {std::sqrt(l.left), std::sqrt(l.right)};
}

std::unique_ptr<OpenAlOutput> loopback() {
  std::string error;
  auto out = OpenAlOutput::open_loopback(kRate, error);
  EXPECT_TRUE(out) << error;
  return out;
}

TEST(OpenAlOutput, ACubeToTheRightSoundsFromTheRight) {
  auto out = loopback();
  ASSERT_TRUE(out);
  Pose head;
  head.position = {0, 1.6f, 0};  // looking along −z
  const auto right = hear(*out, head, {1, 1.6f, 0});
  const auto left = hear(*out, head, {-1, 1.6f, 0});
  EXPECT_GT(right.right, 2 * right.left);
  EXPECT_GT(left.left, 2 * left.right);
}

TEST(OpenAlOutput, TurningTheHeadTurnsTheSound) {
  auto out = loopback();
  ASSERT_TRUE(out);
  Pose head;
  head.position = {0, 1.6f, 0};
  head.orientation = yaw_pitch(static_cast<float>(std::numbers::pi), 0);  // now looking along +z
  const auto heard = hear(*out, head, {1, 1.6f, 0});
  EXPECT_GT(heard.left, 2 * heard.right) << "facing the other way, the cube on +x is on the left";
}

TEST(OpenAlOutput, AFarCubeIsQuieterThanANearOne) {
  auto out = loopback();
  ASSERT_TRUE(out);
  Pose head;
  head.position = {0, 1.6f, 0};
  const auto near = hear(*out, head, {0, 1.6f, -0.5f});
  const auto far = hear(*out, head, {0, 1.6f, -3.0f});
  EXPECT_GT(near.left + near.right, 3 * (far.left + far.right));
  EXPECT_GT(far.left + far.right, 0.0) << "far is quieter, not silent";
}

TEST(OpenAlOutput, StopEndsTheClip) {
  auto out = loopback();
  ASSERT_TRUE(out);
  out->play(noise_burst(), {0, 0, -1});
  EXPECT_TRUE(out->playing());
  out->stop();
  EXPECT_FALSE(out->playing());
  const auto silence = out->render(1000);
  double sum = 0;
  for (float s : silence) sum += std::abs(s);
  EXPECT_EQ(sum, 0.0);
}

}  // namespace
}  // namespace lodestone::audio
