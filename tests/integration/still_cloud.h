#pragma once
// For tests that look at the cloud: training paused as a lead would pause it, and where
// every item is once the cloud holds still, as a viewer streaming snapshots sees it.
// Training moves (and on the tests' tiny datasets, regroups) the cloud between a probe
// and a picture; with it paused, a picture can be checked against positions.
#include "core/math3d.h"
#include "core/room_client.h"
#include "support/time_scale.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace lodestone::testing {

// Pauses training as the lead would (a console: it gets one keyframe, no stream).
inline void pause_training(std::uint16_t port, const std::string& lead_token) {
  client::RoomClient lead({"127.0.0.1", port, lead_token, "lea", ClientKind::Console});
  ASSERT_TRUE(lead.connect()) << lead.error();
  ASSERT_TRUE(lead.poll_until([&] { return lead.scene().has_keyframe; }, scaled_ms(15000)));
  const float unchanged = std::numeric_limits<float>::quiet_NaN();
  lead.send_request(TrainingCommand{0, true, true, unchanged, unchanged, unchanged, unchanged});
  ASSERT_TRUE(lead.poll_until([&] { return lead.scene().training && lead.scene().training->paused; }, scaled_ms(15000)));
  lead.disconnect();
}

// Where the cloud is once it holds still, as a viewer streaming snapshots sees it, and
// the first class's colour. Still: no point moved for a second of snapshots (a refresh
// published just before the pause glides in over half a second).
inline std::vector<Vec3> read_still_cloud(std::uint16_t port, const std::string& viewer_token, std::uint32_t* first_class_rgb) {
  client::RoomClient probe({"127.0.0.1", port, viewer_token, "probe"});
  EXPECT_TRUE(probe.connect()) << probe.error();
  EXPECT_TRUE(probe.poll_until([&] { return probe.scene().has_keyframe && !probe.scene().label_set.classes.empty(); }, scaled_ms(15000)));
  std::vector<Vec3> last = probe.newest_positions();
  auto still_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(probe.poll_until([&] {
    if (probe.newest_positions() != last) {
      last = probe.newest_positions();
      still_since = std::chrono::steady_clock::now();
    }
    return std::chrono::steady_clock::now() - still_since > std::chrono::seconds(1);
  }, scaled_ms(20000))) << "the cloud kept moving with training paused";
  for (const auto& c : probe.scene().label_set.classes) {
    if (c.position == 0) *first_class_rgb = c.color;
  }
  probe.disconnect();
  return last;
}

}  // namespace lodestone::testing
