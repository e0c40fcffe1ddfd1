#include "app/settings.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace lodestone::server {

const std::vector<Setting>& all_settings() {
  using K = SettingKind;
  static const std::vector<Setting> settings = {
      {"server.address", "address", K::Text, "127.0.0.1", 0, 0, "address the room listens on (0.0.0.0: every interface)"},
      {"server.port", "port", K::Integer, "7777", 0, 65535, "UDP port of the room"},
      {"server.data_dir", "data-dir", K::Text, "$LODESTONE_DATA_DIR or ~/.local/share/lodestone", 0, 0,
       "database and checkpoints"},
      {"server.dataset", "dataset", K::Integer, "the newest dataset", 1, 1e18, "dataset the room shows"},
      {"room.snapshot_rate", "snapshot-rate", K::Number, "10", 0.1, 120, "snapshots per second to each client"},
      {"room.size", "room-size", K::Number, "4", 1, 100, "side of the square floor the cloud fills, metres"},
      {"room.smoothing_seconds", "smoothing-seconds", K::Number, "0.5", 0, 10,
       "how long a training refresh takes to glide into place"},
      {"room.acceptance_threshold", "acceptance-threshold", K::Number, "0.9", 0.5, 1,
       "confidence a prediction needs for an accept gesture to label it (a lead's change from the console is "
       "stored and wins)"},
      {"room.voice_speakers", "voice-speakers", K::Text, "annotators", 0, 0,
       "who may speak in the room: everyone, annotators (and leads), leads, or nobody; all may listen"},
      {"limits.max_peers", "max-peers", K::Integer, "64", 1, 4095, "connected clients at most"},
      {"limits.max_intents_per_second", "max-intents-per-second", K::Integer, "50", 1, 10000,
       "intents one client may send per second"},
      {"limits.hello_seconds", "hello-seconds", K::Number, "5", 0.5, 600, "time a new peer has to say hello"},
      {"limits.idle_seconds", "idle-seconds", K::Number, "60", 1, 86400,
       "a client heard nothing from (not even a snapshot acknowledgement) for this long is dropped"},
      {"training.threads", "threads", K::Integer, "2", 1, 256, "training threads"},
      {"training.refresh_seconds", "refresh-seconds", K::Number, "0.25", 0.05, 600,
       "embedding refresh interval while labels are fresh"},
      {"training.learning_rate", "learning-rate", K::Number, "0.001", 1e-7, 1, "Adam learning rate"},
      {"training.kl_weight", "kl-weight", K::Number, "0.5", 0, 1e6, "weight of the KL term"},
      {"training.classifier_weight", "classifier-weight", K::Number, "10", 0, 1e6, "weight of the classifier loss"},
      {"training.consistency_weight", "consistency-weight", K::Number, "4", 0, 1e6,
       "weight of the shift-consistency loss"},
      {"training.propagated_weight", "propagated-weight", K::Number, "30", 0, 1e6,
       "weight of the propagated labels, relative to the classifier's (0: labelled items only)"},
      {"training.graph_neighbours", "graph-neighbours", K::Integer, "10", 1, 100,
       "neighbours per item in the label-propagation graph"},
      {"training.graph_rebuild_steps", "graph-rebuild-steps", K::Integer, "0", 0, 1e9,
       "steps between rebuilds of the graph on learned features (0: pixel graph only)"},
      {"training.doubt_below", "doubt-below", K::Number, "0.1", 0, 1,
       "a label the model gives less than this probability, once trained on, is doubted (0: never)"},
      {"training.fresh_target_share", "fresh-target-share", K::Number, "0.25", 0, 1,
       "share of every batch drawn from the items a label just reached (0: the whole dataset alike)"},
      {"training.encoder_channels", "encoder-channels", K::Integer,
       "the newest checkpoint's, else 64 up to about 47,000 28x28 items and 32 above", 4, 512,
       "channels of the encoder's second convolution (the first has half)"},
      {"training.batch", "batch", K::Integer, "256", 1, 65536, "items per training step"},
      {"training.labelled_per_batch", "labelled-per-batch", K::Integer, "64", 0, 65536,
       "labelled items mixed into every step"},
      {"training.seed", "seed", K::Integer, "1", 0, 1e18, "random seed"},
      {"training.world", "world", K::Integer, "1", 1, 1024,
       "ranks training together, this one included (1: alone; docs/SCALING.md)"},
      {"training.rank", "rank", K::Integer, "1", 1, 1023, "a train-worker's rank, 1 to world - 1"},
      {"training.store", "store", K::Text, "none", 0, 0,
       "the training group's rendezvous store, HOST:PORT (rank 0 listens there)"},
      {"training.group_timeout_seconds", "group-timeout", K::Integer, "60", 1, 3600,
       "seconds to wait for the training group to form, and for any one exchange"},
      {"checkpoints.every_minutes", "checkpoint-minutes", K::Number, "5", 0.01, 1e6, "minutes between checkpoints"},
      {"checkpoints.keep", "keep-checkpoints", K::Integer, "10", 1, 1e6, "newest checkpoints kept per dataset"},
      {"logging.level", "log-level", K::Text, "info", 0, 0, "trace, debug, info, warn, error"},
      {"logging.status_seconds", "status-seconds", K::Number, "10", 1, 1e6, "seconds between status log lines"},
  };
  return settings;
}

const Setting* find_setting_by_key(const std::string& key) {
  for (const auto& s : all_settings()) {
    if (key == s.key) return &s;
  }
  return nullptr;
}

const Setting* find_setting_by_flag(const std::string& flag) {
  for (const auto& s : all_settings()) {
    if (flag == s.flag) return &s;
  }
  return nullptr;
}

std::optional<std::string> check_setting_value(const Setting& setting, const std::string& text) {
  if (setting.kind == SettingKind::Text) {
    if (std::string(setting.flag) == "log-level" && text != "trace" && text != "debug" && text != "info" &&
        text != "warn" && text != "error") {
      return "expects one of trace, debug, info, warn, error, not '" + text + "'";
    }
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return "expects a number, not '" + text + "'";
  }
  if (setting.kind == SettingKind::Integer && value != std::floor(value)) {
    return "expects a whole number, not " + text;
  }
  if (value < setting.min || value > setting.max) {
    std::ostringstream bounds;
    bounds << "must be between " << setting.min << " and " << setting.max << ", not " << text;
    return bounds.str();
  }
  return std::nullopt;
}

namespace {

std::string value_text(const toml::node& node, const Setting& setting, const std::string& where) {
  if (setting.kind == SettingKind::Text) {
    if (const auto s = node.value<std::string>()) return *s;
    throw ConfigError(where + " expects text (in quotes)");
  }
  if (const auto i = node.as_integer()) return std::to_string(i->get());
  if (const auto f = node.as_floating_point()) {
    std::ostringstream out;
    out.precision(17);
    out << f->get();
    return out.str();
  }
  throw ConfigError(where + " expects a number");
}

void walk(const toml::table& table, const std::string& prefix, const std::string& file,
          std::map<std::string, std::string>& out) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    if (const auto* sub = node.as_table()) {
      walk(*sub, key, file, out);
      continue;
    }
    const auto line = node.source().begin.line;
    const std::string where = file + ":" + std::to_string(line) + ": " + key;
    const auto* setting = find_setting_by_key(key);
    if (!setting) throw ConfigError(where + " is not a setting (`lodestone-server config --print` lists them)");
    const auto text = value_text(node, *setting, where);
    if (const auto why = check_setting_value(*setting, text)) throw ConfigError(where + " " + *why);
    out[setting->flag] = text;
  }
}

}  // namespace

std::map<std::string, std::string> read_config_file(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                      std::string(e.description()));
  }
  std::map<std::string, std::string> out;
  walk(table, "", path, out);
  return out;
}

}  // namespace lodestone::server
