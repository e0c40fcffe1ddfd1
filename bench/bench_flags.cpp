#include "bench_flags.h"

// GCC 12 at -O2 reports a null dereference inside std::string as CLI11's templates inline
// it (a false positive in library code, not ours); this file holds only the parsing.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace lodestone::bench {

Flags::Flags(const std::string& program, const std::string& description, const std::vector<FlagSpec>& specs,
             int argc, char** argv) {
  CLI::App app{program + ": " + description, program};
  for (const auto& spec : specs) {
    auto& value = values_[spec.name];
    value = spec.fallback;
    auto* option = app.add_option("--" + spec.name, value, spec.meaning)
                       ->capture_default_str()
                       ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    if (spec.range) option->check(CLI::Range(spec.range->first, spec.range->second));
    if (!spec.choices.empty()) option->check(CLI::IsMember(spec.choices));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    std::exit(0);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s (--help lists every flag)\n", program.c_str(), e.what());
    std::exit(2);
  }
}

std::string Flags::text(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("no flag --" + name);
  return it->second;
}

double Flags::number(const std::string& name) const { return std::stod(text(name)); }

}  // namespace lodestone::bench
