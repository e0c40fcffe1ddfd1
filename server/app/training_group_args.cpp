#include "app/training_group_args.h"

#include <string>

namespace lodestone::server {

// --world, --rank and --group-timeout are settings (app/settings.cpp): the command line
// has checked their type and bounds already; what is left is how they fit together.
std::optional<learning::GroupAddress> group_address(const Args& args, std::optional<int> rank) {
  const int world = static_cast<int>(args.number_or("world", 1));
  if (world == 1) {
    if (rank) return std::nullopt;
    throw UsageError("train-worker needs --world of 2 or more (rank 0 and this worker at least)");
  }
  if (!args.option("store")) throw UsageError("--world " + std::to_string(world) + " needs --store HOST:PORT");
  learning::GroupAddress address;
  try {
    address = learning::parse_store_address(*args.option("store"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  address.world = world;
  if (rank) {
    address.rank = *rank;
  } else {
    if (!args.option("rank")) throw UsageError("train-worker needs --rank (1 to " + std::to_string(world - 1) + ")");
    address.rank = static_cast<int>(args.number_or("rank", 1));
    if (address.rank >= world) {
      throw UsageError("--rank " + std::to_string(address.rank) + ": expected a whole number from 1 to " +
                       std::to_string(world - 1) + " (below --world " + std::to_string(world) + ")");
    }
  }
  if (const auto bind = args.option("bind")) address.bind = *bind;
  address.timeout = std::chrono::seconds(static_cast<int>(args.number_or("group-timeout", 60)));
  return address;
}

}  // namespace lodestone::server
