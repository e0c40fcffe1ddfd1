// The interaction state machine without a GPU or a server: gestures become intents, and
// nothing changes until the answer comes.
#include "core/class_keys.h"
#include "core/interaction.h"
#include "core/math3d.h"
#include "client/fake_channel.h"

#include <gtest/gtest.h>

namespace lodestone::client {
namespace {

constexpr UserId kMe = 7, kOther = 8;

class InteractionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scene_.me = Welcome{kMe, "ada", Role::Annotator, 0x3366FF, "test"};
    scene_.dataset = DatasetDescription{1, "d", 100, 8, 8, 1, 0, 0, {{-2, 0.2f, -2}, {2, 2.6f, 2}}};
    scene_.label_set.classes = {{11, "zero", 0xFF0000, 0}, {12, "one", 0x00FF00, 1}, {13, "two", 0x0000FF, 2}};
    input_.head.position = {0, 1.6f, 0};
  }
  void step() {
    machine_.update(input_, scene_);
    input_.class_position = -1;
    input_.class_key = 0;
    input_.toggle_menu = input_.delete_sphere = input_.erase_labels = input_.undo = false;
    input_.resize = 0;
  }
  void add_sphere(SphereId id, UserId owner, Vec3 center, float radius) {
    scene_.spheres[id] = Sphere{id, owner, center, radius, kNoClass};
  }
  const Intent& last() const { return channel_.sent.back(); }

  FakeChannel channel_;
  InteractionMachine machine_{channel_};
  SceneState scene_;
  FrameInput input_;
};

TEST_F(InteractionTest, DrawingWithTheGripSendsOneCreateIntentAndChangesNothingLocally) {
  input_.right.position = {0, 1.2f, -0.5f};
  input_.right.grip = true;
  step();
  EXPECT_EQ(machine_.gesture(), Gesture::Creating);
  input_.right.position = {0.3f, 1.2f, -0.5f};
  step();
  ASSERT_EQ(machine_.previews().size(), 1u);
  EXPECT_NEAR(machine_.previews()[0].radius, 0.3f, 1e-5);
  EXPECT_TRUE(channel_.sent.empty()) << "nothing is sent while the hand still draws";

  input_.right.grip = false;
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::CreateSphere);
  EXPECT_EQ(last().center, (Vec3{0, 1.2f, -0.5f}));
  EXPECT_NEAR(last().radius, 0.3f, 1e-5);
  EXPECT_TRUE(scene_.spheres.empty());
  ASSERT_EQ(machine_.previews().size(), 1u);
  EXPECT_TRUE(machine_.previews()[0].awaiting_server) << "shown as pending until the server answers";

  // The server confirms (its SphereUpdate arrives before the result on the ordered channel).
  add_sphere(42, kMe, last().center, last().radius);
  channel_.accept(1, 42);
  step();
  EXPECT_TRUE(machine_.previews().empty());
  EXPECT_EQ(machine_.selected(), 42);
  EXPECT_EQ(machine_.pending_count(), 0u);
}

TEST_F(InteractionTest, GrabbingOwnSphereMovesItByTheHandsMotion) {
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0.1f, 1.5f, -1};
  input_.right.grip = true;
  step();
  EXPECT_EQ(machine_.gesture(), Gesture::Moving);
  EXPECT_EQ(machine_.selected(), 5);
  input_.right.position = {0.6f, 1.5f, -1};
  step();
  input_.right.grip = false;
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::MoveSphere);
  EXPECT_EQ(last().sphere_id, 5);
  EXPECT_NEAR(last().center.x, 0.5f, 1e-5);
  EXPECT_EQ(scene_.spheres[5].center.x, 0.0f) << "the sphere stays where the server put it";
}

TEST_F(InteractionTest, GripInsideAnotherAnnotatorsSphereDrawsANewOne) {
  add_sphere(6, kOther, {0, 1.5f, -1}, 0.3f);
  input_.right.position = {0, 1.5f, -1};
  input_.right.grip = true;
  step();
  EXPECT_EQ(machine_.gesture(), Gesture::Creating);
}

TEST_F(InteractionTest, TwoHandsSpreadingApartResizeTheGrabbedSphere) {
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  input_.left.position = {-0.2f, 1.5f, -1};
  input_.right.grip = true;
  step();
  input_.left.grip = true;
  step();
  EXPECT_EQ(machine_.gesture(), Gesture::TwoHandResize);
  input_.left.position = {-0.4f, 1.5f, -1};  // hands twice as far apart
  step();
  input_.left.grip = input_.right.grip = false;
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::ResizeSphere);
  EXPECT_NEAR(last().radius, 0.4f, 1e-5);
}

TEST_F(InteractionTest, ScrollingResizesTheSelectedSphereWithOneIntentWhenItStops) {
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  step();  // touching selects
  EXPECT_EQ(machine_.selected(), 5);
  for (int i = 0; i < 3; ++i) {
    input_.resize = 1;
    machine_.update(input_, scene_);
  }
  EXPECT_TRUE(channel_.sent.empty());
  input_.resize = 0;  // the wheel stops
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::ResizeSphere);
  EXPECT_NEAR(last().radius, 0.2f * 1.1f * 1.1f * 1.1f, 1e-5);
}

TEST_F(InteractionTest, NumberKeyAssignsThatClassToTheSelectedSphere) {
  input_.class_position = 1;
  step();
  EXPECT_TRUE(channel_.sent.empty()) << "no sphere touched yet";
  EXPECT_FALSE(machine_.message().empty());

  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  step();
  input_.class_position = 1;
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::AssignClass);
  EXPECT_EQ(last().sphere_id, 5);
  EXPECT_EQ(last().class_id, 12);
}

TEST_F(InteractionTest, OnTheDigitsTheKeyPicksTheClassOfItsName) {
  // The digits' label set in an order where positions and names disagree.
  scene_.label_set.classes = {{20, "3", 0xFF0000, 0}, {21, "4", 0x00FF00, 1}, {22, "other", 0x0000FF, 2}};
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  step();
  input_.class_key = '4';
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().class_id, 21);  // the class named "4", not the fourth
  input_.class_key = '1';  // positional: the first class, but "3" answers only to its own key
  step();
  EXPECT_EQ(channel_.sent.size(), 1u);
  EXPECT_NE(machine_.message().find("key 1"), std::string::npos) << machine_.message();
  input_.class_key = '3';
  step();
  ASSERT_EQ(channel_.sent.size(), 2u);
  EXPECT_EQ(last().class_id, 20);
}

TEST(ClassKeys, NamesThatAreDigitsTakeTheirKeyOthersKeepTheirPosition) {
  LabelSet digits;
  for (int d = 0; d < 10; ++d) digits.classes.push_back({d + 1, std::to_string(d), 0, static_cast<std::uint32_t>(d)});
  for (int d = 0; d < 10; ++d) {
    EXPECT_EQ(class_for_key(static_cast<char>('0' + d), digits), d);
    EXPECT_EQ(key_for_class(static_cast<std::size_t>(d), digits), static_cast<char>('0' + d));
  }
  LabelSet animals{0, {{1, "cat", 0, 0}, {2, "dog", 0, 1}}};
  EXPECT_EQ(class_for_key('1', animals), 0);
  EXPECT_EQ(class_for_key('2', animals), 1);
  EXPECT_EQ(class_for_key('3', animals), -1);
  EXPECT_EQ(key_for_class(1, animals), '2');
  LabelSet mixed{0, {{1, "cat", 0, 0}, {2, "1", 0, 1}}};
  EXPECT_EQ(class_for_key('1', mixed), 1);  // the name wins
  EXPECT_EQ(key_for_class(0, mixed), 0);    // so "cat" has no key; the menu is its way
  EXPECT_EQ(class_for_key('x', mixed), -1);
}

TEST_F(InteractionTest, MenuPicksTheClassThePointingHandTriggers) {
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  step();
  input_.right.position = {0, 1.5f, 0};  // hand out of the sphere; the selection stays
  input_.toggle_menu = true;
  step();
  ASSERT_TRUE(machine_.menu().open);
  ASSERT_EQ(machine_.menu().entries.size(), 3u);
  const MenuEntry target = machine_.menu().entries[2];
  input_.right.pointing = target.center - input_.right.position;
  step();
  EXPECT_TRUE(machine_.menu().entries[2].hovered);
  EXPECT_FALSE(machine_.menu().entries[0].hovered);
  input_.right.trigger = true;
  step();
  ASSERT_EQ(channel_.sent.size(), 1u);
  EXPECT_EQ(last().kind, IntentKind::AssignClass);
  EXPECT_EQ(last().class_id, 13);
  EXPECT_FALSE(machine_.menu().open);
}

TEST_F(InteractionTest, DeleteEraseAndUndoBecomeIntents) {
  add_sphere(5, kMe, {0, 1.5f, -1}, 0.2f);
  input_.right.position = {0, 1.5f, -1};
  step();
  input_.erase_labels = true;
  step();
  input_.undo = true;
  step();
  input_.delete_sphere = true;
  step();
  ASSERT_EQ(channel_.sent.size(), 3u);
  EXPECT_EQ(channel_.sent[0].kind, IntentKind::EraseLabels);
  EXPECT_EQ(channel_.sent[0].sphere_id, 5);
  EXPECT_EQ(channel_.sent[1].kind, IntentKind::Undo);
  EXPECT_EQ(channel_.sent[2].kind, IntentKind::DeleteSphere);
  EXPECT_EQ(scene_.spheres.size(), 1u) << "deleted only when the server says so";
}

TEST_F(InteractionTest, ARefusalIsShownAndThePendingPreviewDropped) {
  input_.right.position = {0, 1.2f, -0.5f};
  input_.right.grip = true;
  step();
  input_.right.grip = false;
  step();
  ASSERT_EQ(machine_.pending_count(), 1u);
  channel_.refuse(1, "viewers cannot change the room");
  step();
  EXPECT_EQ(machine_.pending_count(), 0u);
  EXPECT_TRUE(machine_.previews().empty());
  EXPECT_NE(machine_.message().find("viewers cannot change the room"), std::string::npos);
}

TEST_F(InteractionTest, TeleportLandsTheHeadWhereTheArcMeetsTheFloor) {
  input_.right.position = {0.2f, 1.2f, 0};
  input_.right.pointing = normalize(Vec3{0, -0.2f, -1});
  input_.teleport_aim = true;
  step();
  ASSERT_TRUE(machine_.teleport_arc().has_value());
  const TeleportArc arc = *machine_.teleport_arc();
  ASSERT_TRUE(arc.valid);
  EXPECT_NEAR(arc.target.y, 0.0f, 1e-4);
  for (const auto& p : arc.points) EXPECT_GE(p.y, -1e-4f) << "the arc never goes through the floor";
  input_.teleport_aim = false;
  step();
  EXPECT_FALSE(machine_.teleport_arc().has_value());
  const Pose head = machine_.to_room(input_.head);
  EXPECT_NEAR(head.position.x, arc.target.x, 1e-4);
  EXPECT_NEAR(head.position.z, arc.target.z, 1e-4);
  EXPECT_NEAR(head.position.y, 1.6f, 1e-6) << "the floor height stays";
  EXPECT_TRUE(channel_.sent.empty()) << "moving oneself is no change to the room";
}

TEST_F(InteractionTest, AnArcThatLeavesTheFloorDoesNotTeleport) {
  input_.right.position = {0, 1.2f, 0};
  input_.right.pointing = normalize(Vec3{0, 1, -1});  // steep and far: beyond the floor's edge
  input_.teleport_aim = true;
  step();
  ASSERT_TRUE(machine_.teleport_arc().has_value());
  EXPECT_FALSE(machine_.teleport_arc()->valid);
  input_.teleport_aim = false;
  step();
  EXPECT_EQ(machine_.rig_offset(), (Vec3{0, 0, 0}));
}

TEST_F(InteractionTest, SmoothLocomotionWalksWhereTheHeadFacesAlongTheFloor) {
  // Facing +x (yaw 90° to the right), looking down: full stick forward for 80 ms.
  input_.head.orientation = yaw_pitch(-1.5707963f, -0.6f);
  input_.walk_y = 1;
  input_.seconds = 0.08f;
  step();
  const Vec3 walked = machine_.rig_offset();
  EXPECT_NEAR(walked.x, InteractionMachine::kWalkSpeed * 0.08f, 1e-4f);
  EXPECT_NEAR(walked.y, 0, 1e-6f) << "looking down does not sink into the floor";
  EXPECT_NEAR(walked.z, 0, 1e-4f);
  // Sideways to the right of +x is +z; a stick at rest does not move.
  input_.walk_y = 0;
  input_.walk_x = 1;
  input_.seconds = 0.1f;
  step();
  EXPECT_NEAR(machine_.rig_offset().z - walked.z, InteractionMachine::kWalkSpeed * 0.1f, 1e-4f);
  input_.walk_x = 0;
  const Vec3 still = machine_.rig_offset();
  step();
  EXPECT_EQ(machine_.rig_offset(), still);
  // A stalled frame (two seconds) is no leap across the room: at most a tenth of a second.
  input_.walk_y = 1;
  input_.seconds = 2;
  step();
  EXPECT_NEAR(length(machine_.rig_offset() - still), InteractionMachine::kWalkSpeed * 0.1f, 1e-4f);
}

}  // namespace
}  // namespace lodestone::client
