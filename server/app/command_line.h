#pragma once
// The server's command line, parsed by CLI11: one subcommand per command, each accepting
// the options it reads and no other. An option that is a setting takes its meaning,
// default and bounds from the settings table (settings.h), so `--help`, the TOML file and
// the value checks cannot drift apart.
#include "app/args.h"

#include <optional>

namespace lodestone::server {

// The arguments the commands read: the command and its positionals, then the options
// given. nullopt when nothing is to run: `code` is 0 after printing help, 2 after a
// usage error (printed with the command and a pointer to its --help).
std::optional<Args> parse_command_line(int argc, char** argv, int& code);

}  // namespace lodestone::server
