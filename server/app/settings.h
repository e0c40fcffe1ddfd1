#pragma once
// Every server setting: its key in the configuration file, the command-line flag that
// overrides it, its default and its bounds. One table, so the file, the flags and
// `config --print` cannot drift apart.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::server {

enum class SettingKind { Text, Number, Integer };

struct Setting {
  const char* key;           // "room.snapshot_rate"
  const char* flag;          // "snapshot-rate"
  SettingKind kind;
  const char* default_text;  // as config --print shows it
  double min = 0, max = 0;   // numbers only
  const char* meaning;
};

const std::vector<Setting>& all_settings();
const Setting* find_setting_by_key(const std::string& key);
const Setting* find_setting_by_flag(const std::string& flag);

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads a TOML configuration file into flag → value text. Throws ConfigError naming the
// file and the key for a syntax error, an unknown key, a value of the wrong type or out
// of bounds.
std::map<std::string, std::string> read_config_file(const std::string& path);

// Checks a value given for a setting (from any source); nullopt when fine, else why not.
std::optional<std::string> check_setting_value(const Setting& setting, const std::string& text);

}  // namespace lodestone::server
