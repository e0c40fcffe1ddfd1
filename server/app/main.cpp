// lodestone-server: the authority of a Lodestone room. See README.md for usage.
#include "app/command_line.h"
#include "app/commands.h"
#include "app/settings.h"
#include "store/database.h"
#include "store/migrations.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// --config FILE (or $LODESTONE_CONFIG) under the command line; --log-level from either.
void apply_config(lodestone::server::Args& args) {
  using namespace lodestone::server;
  auto file = args.take("config");
  if (!file) {
    if (const char* env = std::getenv("LODESTONE_CONFIG"); env && *env) file = env;
  }
  if (file) args.add_config(read_config_file(*file), *file);
  // A flag for a setting is held to the setting's type and bounds, as the file is: a port
  // of 70000 stops here with the flag, the value and the range, instead of wrapping.
  for (const auto& [name, value] : args.given()) {
    if (const Setting* setting = find_setting_by_flag(name)) {
      if (const auto why = check_setting_value(*setting, value)) throw UsageError("--" + name + " " + *why);
    }
  }
  const auto level = args.take("log-level");
  const auto effective = level ? level : args.option("log-level");
  if (effective) {
    if (const auto why = check_setting_value(*find_setting_by_key("logging.level"), *effective)) {
      throw UsageError("--log-level " + *why);
    }
    spdlog::set_level(spdlog::level::from_str(*effective));
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lodestone::server;
  // Logs go to stderr: stdout carries only results (tokens, tables, the LISTENING line).
  spdlog::set_default_logger(spdlog::stderr_color_mt("lodestone"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  try {
    int code = 0;
    auto parsed = parse_command_line(argc, argv, code);
    if (!parsed) return code;
    Args& args = *parsed;
    apply_config(args);
    const std::string& command = args.positionals().front();
    if (command == "import") return command_import(args);
    if (command == "generate-audio") return command_generate_audio(args);
    if (command == "datasets") return command_datasets(args);
    if (command == "migrate") return command_migrate(args);
    if (command == "serve") return command_serve(args);
    if (command == "train") return command_train(args);
    if (command == "train-worker") return command_train_worker(args);
    if (command == "label") return command_label(args);
    if (command == "embed") return command_embed(args);
    if (command == "checkpoints") return command_checkpoints(args);
    if (command == "token") return command_token(args);
    if (command == "export") return command_export(args);
    if (command == "backup") return command_backup(args);
    if (command == "restore") return command_restore(args);
    if (command == "status") return command_status(args);
    if (command == "config") return command_config(args);
    throw UsageError("unknown command '" + command + "'");
  } catch (const ConfigError& e) {
    spdlog::error("configuration: {}", e.what());
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "lodestone-server: %s (`lodestone-server --help` lists the commands)\n", e.what());
    return 2;
  } catch (const lodestone::store::MigrationError& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const lodestone::store::StoreError& e) {
    spdlog::error("database error: {}", e.what());
    return 1;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
