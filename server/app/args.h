#pragma once
// Command-line arguments: positionals and --key value / --flag options, in any order.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::server {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `flags` names the options that take no value.
  Args(int argc, char** argv, const std::vector<std::string>& flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::optional<std::string> option(const std::string& name) const;
  std::string option_or(const std::string& name, const std::string& fallback) const;
  double number_or(const std::string& name, double fallback) const;
  bool flag(const std::string& name) const { return options_.contains(name); }
  // The options given on the command line (name → value text), as given.
  const std::map<std::string, std::string>& given() const { return options_; }
  // Throws UsageError naming the first command-line option not in `known` (settings
  // from the configuration file are not checked: each command reads the ones it uses).
  void reject_unknown(const std::vector<std::string>& known) const;

  // Removes a command-line option every command accepts (--config, --log-level) once read.
  std::optional<std::string> take(const std::string& name);
  // Settings from a configuration file, below the command line: option() returns the
  // command line's value when there is one, else the file's.
  void add_config(std::map<std::string, std::string> values, std::string file);
  // Where an option's value comes from: "command line", the configuration file's path,
  // or nullopt (the default applies).
  std::optional<std::string> origin(const std::string& name) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> options_;
  std::map<std::string, std::string> config_;
  std::string config_file_;
};

}  // namespace lodestone::server
