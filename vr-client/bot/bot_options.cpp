#include "bot/bot_options.h"

// GCC 12 at -O2 reports a null dereference inside std::string as CLI11's templates inline
// it (a false positive in library code, not ours); this file holds only the parsing.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include <cstdio>

namespace lodestone::bot {

bool parse_options(int argc, char** argv, Options& o, int& code) {
  o.connect.name = "bot";
  CLI::App app{"lodestone-bot: a headless annotator that joins a room like a headset and follows a policy",
               "lodestone-bot"};
  app.add_option("--token", o.connect.token, "access token (or $LODESTONE_TOKEN)")->envname("LODESTONE_TOKEN");
  app.add_option("--host", o.connect.host, "server address")->capture_default_str();
  app.add_option("--port", o.connect.port, "server port")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_option("--name", o.connect.name, "shown to the others in the room")->capture_default_str();
  app.add_option("--policy", o.policy, "idle | random | oracle | reviewer")
      ->check(CLI::IsMember({"idle", "random", "oracle", "reviewer"}))
      ->capture_default_str();
  app.add_option("--truth-db", o.truth_db, "the server's lodestone.db, for the oracle's and the reviewer's ground truth");
  app.add_option("--seconds", o.seconds, "stop after S seconds (0: run until the server goes away)")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--interval-ms", o.interval_ms, "pause between labelling acts")
      ->check(CLI::Range(0, 3'600'000))
      ->capture_default_str();
  app.add_option("--max-actions", o.max_actions, "stop after N labelling acts (-1: no limit)")
      ->check(CLI::Range(-1L, 1'000'000'000L))
      ->capture_default_str();
  app.add_option("--seed", o.seed, "random seed")->capture_default_str();
  app.add_option("--ack-log", o.ack_log,
                 "append \"SPHERE_ID ANNOTATIONS\" for every acknowledged labelling act, written through at once, "
                 "so it is complete even if the bot is killed");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    code = 0;
    return false;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "lodestone-bot: %s (--help lists every option)\n", e.what());
    code = 2;
    return false;
  }
  if (o.connect.token.empty()) {
    std::fprintf(stderr, "lodestone-bot: --token is required (or $LODESTONE_TOKEN)\n");
    code = 2;
    return false;
  }
  return true;
}

}  // namespace lodestone::bot
