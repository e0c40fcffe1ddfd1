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
  // Throws UsageError naming the first option not in `known`.
  void reject_unknown(const std::vector<std::string>& known) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> options_;
};

}  // namespace lodestone::server
