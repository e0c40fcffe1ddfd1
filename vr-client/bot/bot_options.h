#pragma once
// lodestone-bot's command line.
#include "core/room_client.h"

#include <cstdint>
#include <string>

namespace lodestone::bot {

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

// The options (CLI11: each number checked against its bounds, --help generated); false
// with the reason printed, or after printing the help (`code` is the exit status then).
bool parse_options(int argc, char** argv, Options& o, int& code);

}  // namespace lodestone::bot
