#pragma once
// The benchmarks' command lines, through CLI11 (bench_flags.cpp keeps it out of the
// benchmarks' own files): each flag with its default, meaning and allowed values;
// `--help` lists them, and an unknown flag or a value out of range stops the program with
// the flag, the value and what is allowed (exit 2).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lodestone::bench {

struct FlagSpec {
  std::string name;      // "bots" for --bots
  std::string fallback;  // the default, as text
  std::string meaning;
  std::optional<std::pair<double, double>> range = std::nullopt;  // numbers: the bounds
  std::vector<std::string> choices = {};                          // or one of these words
};

class Flags {
 public:
  // Parses argv; prints the help and exits 0 on --help, exits 2 on a bad flag.
  Flags(const std::string& program, const std::string& description, const std::vector<FlagSpec>& specs, int argc,
        char** argv);
  std::string text(const std::string& name) const;
  double number(const std::string& name) const;
  int integer(const std::string& name) const { return static_cast<int>(number(name)); }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace lodestone::bench
