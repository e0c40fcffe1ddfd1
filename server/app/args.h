#pragma once
// The arguments a command reads: the command and its positionals, the options given
// (parsed by command_line.h), and below them the configuration file's settings.
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
  // `options`: name → value text as given ("" for a flag).
  Args(std::vector<std::string> positionals, std::map<std::string, std::string> options)
      : positionals_(std::move(positionals)), options_(std::move(options)) {}

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::optional<std::string> option(const std::string& name) const;
  std::string option_or(const std::string& name, const std::string& fallback) const;
  double number_or(const std::string& name, double fallback) const;
  bool flag(const std::string& name) const { return options_.contains(name); }
  // The options given on the command line (name → value text), as given.
  const std::map<std::string, std::string>& given() const { return options_; }

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
