#pragma once
// The training group's settings (--world, --store, --rank, --group-timeout, and
// --bind) as a group address: a rank outside the world or a store that is not HOST:PORT
// stops the program with the flag, the value and what is allowed.
#include "app/args.h"
#include "learning/training_group.h"

#include <optional>

namespace lodestone::server {

// nullopt when --world is absent or 1 (training alone). `rank`: this process's rank
// when the command fixes it (rank 0 for serve and train), else --rank.
std::optional<learning::GroupAddress> group_address(const Args& args, std::optional<int> rank);

}  // namespace lodestone::server
