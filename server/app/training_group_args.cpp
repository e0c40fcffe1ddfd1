#include "app/training_group_args.h"

#include <cmath>
#include <string>

namespace lodestone::server {
namespace {

int whole_number(const Args& args, const std::string& flag, double low, double high) {
  const auto text = args.option(flag);
  double value = 0;
  std::size_t used = 0;
  try {
    value = std::stod(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || value != std::floor(value) || value < low || value > high) {
    throw UsageError("--" + flag + " " + *text + ": expected a whole number from " + std::to_string(int(low)) +
                     " to " + std::to_string(int(high)));
  }
  return static_cast<int>(value);
}

}  // namespace

std::optional<learning::GroupAddress> group_address(const Args& args, std::optional<int> rank) {
  if (!args.option("world")) {
    if (!rank) throw UsageError("train-worker needs --world (ranks in all, rank 0 included)");
    return std::nullopt;
  }
  const int world = whole_number(args, "world", 1, 1024);
  if (world == 1 && rank) return std::nullopt;
  if (world == 1) throw UsageError("train-worker needs --world of 2 or more (rank 0 and this worker at least)");
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
    address.rank = whole_number(args, "rank", 1, world - 1);
  }
  if (const auto bind = args.option("bind")) address.bind = *bind;
  if (args.option("group-timeout")) {
    address.timeout = std::chrono::seconds(whole_number(args, "group-timeout", 1, 3600));
  }
  return address;
}

}  // namespace lodestone::server
