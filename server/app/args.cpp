#include "app/args.h"

#include <algorithm>
#include <charconv>

namespace lodestone::server {

std::optional<std::string> Args::option(const std::string& name) const {
  if (const auto it = options_.find(name); it != options_.end()) return it->second;
  if (const auto it = config_.find(name); it != config_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> Args::take(const std::string& name) {
  const auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  auto value = it->second;
  options_.erase(it);
  return value;
}

void Args::add_config(std::map<std::string, std::string> values, std::string file) {
  config_ = std::move(values);
  config_file_ = std::move(file);
}

std::optional<std::string> Args::origin(const std::string& name) const {
  if (options_.contains(name)) return "command line";
  if (config_.contains(name)) return config_file_;
  return std::nullopt;
}

std::string Args::option_or(const std::string& name, const std::string& fallback) const {
  return option(name).value_or(fallback);
}

double Args::number_or(const std::string& name, double fallback) const {
  const auto text = option(name);
  if (!text) return fallback;
  double value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    throw UsageError("option --" + name + " expects a number, got '" + *text + "'");
  }
  return value;
}

}  // namespace lodestone::server
