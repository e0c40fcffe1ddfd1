// Bare hands drive the interaction core: a pinch is a press with hysteresis, the right
// pinch draws a sphere, the left pinch toggles the class menu once per pinch.
#include "core/hand_gestures.h"

#include <gtest/gtest.h>

namespace lodestone::client {
namespace {

TEST(PinchDetector, ClosesUnderTwoCentimetresAndOpensOnlyOverFour) {
  PinchDetector pinch;
  EXPECT_FALSE(pinch.update(0.08f));
  EXPECT_FALSE(pinch.update(0.03f));  // between the thresholds: still open
  EXPECT_TRUE(pinch.update(0.015f));
  EXPECT_TRUE(pinch.update(0.03f));  // trembling back between them: still closed
  EXPECT_FALSE(pinch.update(0.05f));
}

TEST(HandGestures, TheRightPinchIsSelectAndThePalmIsTheHand) {
  HandGestures hands;
  FrameInput in;
  TrackedHand right{{0.1f, 1.2f, 0.3f}, {0, 0, -1}, 0.08f};
  hands.apply(std::nullopt, right, in);
  EXPECT_FALSE(in.right.grip);
  EXPECT_FLOAT_EQ(in.right.position.y, 1.2f);
  right.pinch_gap = 0.01f;
  hands.apply(std::nullopt, right, in);
  EXPECT_TRUE(in.right.grip);
  EXPECT_TRUE(in.right.trigger);
  // Tracking lost (the controller read has released the buttons): when the hand comes
  // back half open, it is not still pinching.
  hands.apply(std::nullopt, std::nullopt, in);
  right.pinch_gap = 0.03f;
  hands.apply(std::nullopt, right, in);
  EXPECT_FALSE(in.right.grip);
}

TEST(HandGestures, TheLeftPinchTogglesTheMenuOncePerPinch) {
  HandGestures hands;
  FrameInput in;
  TrackedHand left{{-0.1f, 1.2f, 0.3f}, {0, 0, -1}, 0.01f};
  hands.apply(left, std::nullopt, in);
  EXPECT_TRUE(in.toggle_menu);
  in.toggle_menu = false;
  hands.apply(left, std::nullopt, in);  // still pinched: no second toggle
  EXPECT_FALSE(in.toggle_menu);
}

TEST(HandGestures, APinchDrawsASphereThroughTheInteractionMachine) {
  struct Channel final : IntentChannel {
    std::vector<Intent> sent;
    std::uint64_t send(const Intent& intent) override {
      sent.push_back(intent);
      return sent.size();
    }
    std::optional<IntentResult> result(std::uint64_t) const override { return std::nullopt; }
  } channel;
  InteractionMachine machine(channel);
  HandGestures hands;
  SceneState scene;
  FrameInput in;
  auto frame = [&](Vec3 palm, float gap) {
    hands.apply(std::nullopt, TrackedHand{palm, {0, 0, -1}, gap}, in);
    machine.update(in, scene);
  };
  frame({0, 1.4f, 0}, 0.08f);
  frame({0, 1.4f, 0}, 0.01f);  // pinch: start drawing at the palm
  frame({0.5f, 1.4f, 0}, 0.01f);
  frame({0.5f, 1.4f, 0}, 0.08f);  // open: the sphere is sent
  ASSERT_EQ(channel.sent.size(), 1u);
  EXPECT_EQ(channel.sent[0].kind, IntentKind::CreateSphere);
  EXPECT_NEAR(channel.sent[0].radius, 0.5f, 1e-4f);
}

}  // namespace
}  // namespace lodestone::client
