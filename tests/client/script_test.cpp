// Headless scripts: parsed strictly (a bad line names itself) and applied as input.
#include "core/math3d.h"
#include "core/script.h"

#include <gtest/gtest.h>

namespace lodestone::client {
namespace {

TEST(Script, ParsesEveryCommandAndAppliesItAsInput) {
  const auto parsed = parse_script(
      "# a comment\n\nlook 0 1.6 2  0 1.6 0\nhand right 0.1 1.2 -0.4\ngrip right on\nclass 3\n"
      "teleport on\nwait 0.5\nsettle\nshot a.png\n");
  ASSERT_TRUE(std::holds_alternative<std::vector<ScriptCommand>>(parsed));
  const auto& commands = std::get<std::vector<ScriptCommand>>(parsed);
  ASSERT_EQ(commands.size(), 8u);
  FrameInput input;
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(apply_command(commands[i], input).kind, ScriptStep::Kind::Frame);
  EXPECT_EQ(input.head.position, (Vec3{0, 1.6f, 2}));
  EXPECT_NEAR(forward(input.head.orientation).z, -1, 1e-5);
  EXPECT_EQ(input.right.position, (Vec3{0.1f, 1.2f, -0.4f}));
  EXPECT_TRUE(input.right.grip);
  EXPECT_EQ(input.class_position, 2);
  EXPECT_TRUE(input.teleport_aim);
  const auto wait = apply_command(commands[5], input);
  EXPECT_EQ(wait.kind, ScriptStep::Kind::Wait);
  EXPECT_EQ(wait.seconds, 0.5);
  EXPECT_EQ(apply_command(commands[6], input).seconds, 5.0);
  const auto shot = apply_command(commands[7], input);
  EXPECT_EQ(shot.kind, ScriptStep::Kind::Shot);
  EXPECT_EQ(shot.file, "a.png");
}

TEST(Script, ABadLineIsRefusedWithItsNumber) {
  for (const char* bad : {"look 0 1 2\n", "hand middle 0 0 0\n", "grip right maybe\n", "fly 1\n", "wait soon\n"}) {
    const auto parsed = parse_script(std::string("wait 1\n") + bad);
    ASSERT_TRUE(std::holds_alternative<ScriptError>(parsed)) << bad;
    EXPECT_NE(std::get<ScriptError>(parsed).message.find("line 2"), std::string::npos) << bad;
  }
}

TEST(Script, ListenTakesAnItemAndAFileName) {
  const auto parsed = parse_script("listen 12 call.wav\nshot a.png\n");
  ASSERT_TRUE(std::holds_alternative<std::vector<ScriptCommand>>(parsed));
  FrameInput input;
  const auto listen = apply_command(std::get<std::vector<ScriptCommand>>(parsed)[0], input);
  EXPECT_EQ(listen.kind, ScriptStep::Kind::Listen);
  EXPECT_EQ(listen.seconds, 12);
  EXPECT_EQ(listen.file, "call.wav");
  for (const char* bad : {"listen call.wav\n", "listen 12\n", "listen 12 a.wav b.wav\n", "listen twelve a.wav\n"}) {
    const auto refused = parse_script(bad);
    ASSERT_TRUE(std::holds_alternative<ScriptError>(refused)) << bad;
    EXPECT_NE(std::get<ScriptError>(refused).message.find("line 1 (listen)"), std::string::npos)
        << std::get<ScriptError>(refused).message;
  }
}

TEST(Script, LookRotationFacesTheTarget) {
  const Vec3 eye{1, 1.5f, 1}, target{-1, 0.5f, -2};
  const Vec3 f = forward(look_rotation(eye, target));
  const Vec3 want = normalize(target - eye);
  EXPECT_NEAR(f.x, want.x, 1e-5);
  EXPECT_NEAR(f.y, want.y, 1e-5);
  EXPECT_NEAR(f.z, want.z, 1e-5);
}

}  // namespace
}  // namespace lodestone::client
