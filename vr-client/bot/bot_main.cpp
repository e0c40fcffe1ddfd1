// lodestone-bot: a headless annotator on the client core. It joins a room like a headset,
// follows a policy (idle, random, oracle, reviewer) and reports what was acknowledged.
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

constexpr const char* kUsage = R"(usage: lodestone-bot --token TOKEN [options]

  --host H          server address (default 127.0.0.1)
  --port P          server port (default 7777)
  --token T         access token (or $LODESTONE_TOKEN)
  --name N          shown to others (default bot)
  --policy P        idle | random | oracle | reviewer (default idle)
  --truth-db FILE   the server's lodestone.db, for the oracle's and the reviewer's ground truth
  --seconds S       stop after S seconds (default: run until the server goes away)
  --interval-ms M   pause between labelling acts (default 500)
  --max-actions N   stop after N labelling acts
  --seed N          random seed (default 1)
  --ack-log FILE    append "SPHERE_ID ANNOTATIONS" for every acknowledged labelling act,
                    written through at once, so it is complete even if the bot is killed
)";

struct Options {
  client::ConnectOptions connect;
  std::string policy = "idle";
  std::string truth_db;
  double seconds = 0;
  int interval_ms = 500;
  long max_actions = -1;
  std::uint64_t seed = 1;
  std::string ack_log;
};

bool parse(int argc, char** argv, Options& o) {
  if (const char* env = std::getenv("LODESTONE_TOKEN")) o.connect.token = env;
  o.connect.name = "bot";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help") return false;
    if (i + 1 >= argc) {
      std::fprintf(stderr, "lodestone-bot: %s needs a value\n", arg.c_str());
      return false;
    }
    const std::string value = argv[++i];
    try {
      if (arg == "--host") o.connect.host = value;
      else if (arg == "--port") o.connect.port = static_cast<std::uint16_t>(std::stoul(value));
      else if (arg == "--token") o.connect.token = value;
      else if (arg == "--name") o.connect.name = value;
      else if (arg == "--policy") o.policy = value;
      else if (arg == "--truth-db") o.truth_db = value;
      else if (arg == "--seconds") o.seconds = std::stod(value);
      else if (arg == "--interval-ms") o.interval_ms = std::stoi(value);
      else if (arg == "--max-actions") o.max_actions = std::stol(value);
      else if (arg == "--seed") o.seed = std::stoull(value);
      else if (arg == "--ack-log") o.ack_log = value;
      else {
        std::fprintf(stderr, "lodestone-bot: unknown option %s\n", arg.c_str());
        return false;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "lodestone-bot: %s expects a number, got '%s'\n", arg.c_str(), value.c_str());
      return false;
    }
  }
  if (o.connect.token.empty()) {
    std::fprintf(stderr, "lodestone-bot: --token is required\n");
    return false;
  }
  return true;
}

// Sends one intent and waits for its result.
std::optional<IntentResult> ask(client::RoomClient& c, const Intent& intent) {
  const auto id = c.send_intent(intent);
  std::optional<IntentResult> result;
  c.poll_until([&] { return (result = c.result(id)).has_value(); }, 5000);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
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
    if (!created || !created->accepted) {
      ++refused;
      continue;
    }
    const auto labelled =
        proposal->accept ? ask(c, {0, IntentKind::AcceptPredictions, created->sphere_id, {}, 0, kNoClass})
                         : ask(c, {0, IntentKind::AssignClass, created->sphere_id, {}, 0, proposal->class_id});
    if (labelled && labelled->accepted) {
      acknowledged += labelled->items_affected;
      accepts += proposal->accept;
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
  c.disconnect();
  return c.state() == client::ConnectionState::Refused ? 1 : 0;
}
