// lodestone-bot: a headless annotator on the client core. It joins a room like a headset,
// follows a policy (idle, random, oracle, reviewer) and reports what was acknowledged.
#include "bot/bot_options.h"
#include "bot/policies.h"
#include "bot/truth_source.h"
#include "core/room_client.h"


#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

namespace {

using namespace lodestone;
using Clock = std::chrono::steady_clock;


// Sends one intent and waits for its result.
std::optional<IntentResult> ask(client::RoomClient& c, const Intent& intent) {
  const auto id = c.send_intent(intent);
  std::optional<IntentResult> result;
  c.poll_until([&] { return (result = c.result(id)).has_value(); }, 5000);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  bot::Options o;
  int code = 0;
  if (!bot::parse_options(argc, argv, o, code)) return code;
  const auto kind = bot::parse_policy(o.policy);
  if (!kind) {
    std::fprintf(stderr, "lodestone-bot: unknown policy '%s' (idle, random, oracle, reviewer)\n", o.policy.c_str());
    return 2;
  }
  client::RoomClient c(o.connect);
  if (!c.connect()) {
    std::fprintf(stderr, "%s: %s\n", o.connect.name.c_str(), c.error().c_str());
    return 1;
  }
  const bool joined = c.poll_until([&] { return c.scene().has_keyframe && c.scene().dataset; }, 15000);
  if (!joined) {
    std::fprintf(stderr, "%s: could not join: %s\n", o.connect.name.c_str(),
                 c.error().empty() ? "no room state within 15 s" : c.error().c_str());
    return 1;
  }
  std::vector<std::optional<std::string>> truth;
  if (*kind == bot::PolicyKind::Oracle || *kind == bot::PolicyKind::Reviewer) {
    if (o.truth_db.empty()) {
      std::fprintf(stderr, "%s: the %s policy needs --truth-db\n", o.connect.name.c_str(), o.policy.c_str());
      return 2;
    }
    try {
      truth = bot::read_ground_truth(o.truth_db, c.scene().dataset->dataset_id);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: cannot read ground truth: %s\n", o.connect.name.c_str(), e.what());
      return 1;
    }
  }
  std::printf("%s joined as %s: %u items, %zu classes\n", o.connect.name.c_str(), c.scene().me->user_name.c_str(),
              c.scene().dataset->item_count, c.scene().label_set.classes.size());
  std::fflush(stdout);

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> ack_log(nullptr, std::fclose);
  if (!o.ack_log.empty()) {
    ack_log.reset(std::fopen(o.ack_log.c_str(), "a"));
    if (!ack_log) {
      std::fprintf(stderr, "%s: cannot open %s for appending\n", o.connect.name.c_str(), o.ack_log.c_str());
      return 1;
    }
  }

  bot::Policy policy(*kind, o.seed, std::move(truth));
  const auto start = Clock::now();
  auto next_action = start;
  long actions = 0, accepts = 0, acknowledged = 0, refused = 0;
  // What the accepting gestures were judged to label against what the server labelled.
  unsigned long long accept_judged = 0, accept_labelled = 0;
  while (c.state() == client::ConnectionState::Joined) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if ((o.seconds > 0 && elapsed >= o.seconds) || (o.max_actions >= 0 && actions >= o.max_actions)) break;
    c.poll(10);
    c.send_presence({{0, 1.6f, 0}, {0, 0, 0, 1}}, {{-0.3f, 1.2f, -0.3f}, {0, 0, 0, 1}},
                    {{0.3f, 1.2f, -0.3f}, {0, 0, 0, 1}});
    if (Clock::now() < next_action) continue;
    next_action = Clock::now() + std::chrono::milliseconds(o.interval_ms);
    const auto proposal = policy.next(c);
    if (!proposal) continue;
    ++actions;
    Intent create{0, IntentKind::CreateSphere, 0, proposal->center, proposal->radius, kNoClass};
    const auto created = ask(c, create);
    if (!created || !created->accepted()) {
      ++refused;
      continue;
    }
    const auto labelled =
        proposal->accept ? ask(c, {0, IntentKind::AcceptPredictions, created->sphere_id, {}, 0, kNoClass})
                         : ask(c, {0, IntentKind::AssignClass, created->sphere_id, {}, 0, proposal->class_id});
    if (labelled && labelled->accepted()) {
      acknowledged += labelled->items_affected;
      accepts += proposal->accept;
      if (proposal->accept) accept_judged += proposal->labels, accept_labelled += labelled->items_affected;
      if (ack_log) {
        std::fprintf(ack_log.get(), "%lld %u\n", static_cast<long long>(created->sphere_id),
                     labelled->items_affected);
        std::fflush(ack_log.get());
      }
    } else {
      ++refused;
    }
  }
  const char* why = c.state() == client::ConnectionState::Refused ? c.error().c_str()
                    : c.state() == client::ConnectionState::Disconnected ? "the server closed the connection"
                                                                          : "done";
  std::printf("%s: %ld labelling acts (%ld accepting predictions), %ld annotations acknowledged, %ld refused, "
              "%llu snapshots, thumbnails %zu/%llu bytes (%s)\n",
              o.connect.name.c_str(), actions, accepts, acknowledged, refused,
              static_cast<unsigned long long>(c.snapshots_received()), c.scene().thumbnail_bytes_received,
              static_cast<unsigned long long>(c.scene().dataset->thumbnails_bytes), why);
  if (accepts > 0) {
    std::printf("%s: accepting gestures were judged on %llu items and labelled %llu\n", o.connect.name.c_str(),
                accept_judged, accept_labelled);
  }
  c.disconnect();
  return c.state() == client::ConnectionState::Refused ? 1 : 0;
}
