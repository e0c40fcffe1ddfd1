// config --print: every setting's effective value and where it comes from.
#include "app/commands.h"
#include "app/server_context.h"
#include "app/settings.h"

#include <cstdio>
#include <cstdlib>

namespace lodestone::server {

int command_config(const Args& args) {
  if (!args.flag("print")) throw UsageError("config needs --print");
  std::printf("# effective configuration (TOML); a flag overrides the file, the file the default\n");
  std::string table;
  for (const auto& s : all_settings()) {
    const std::string key = s.key;
    const auto dot = key.find('.');
    if (key.substr(0, dot) != table) {
      table = key.substr(0, dot);
      std::printf("\n[%s]\n", table.c_str());
    }
    auto value = args.option(s.flag);
    auto origin = args.origin(s.flag).value_or("default");
    if (key == "server.data_dir" && !value) {
      value = resolve_data_dir(std::nullopt).string();
      if (std::getenv("LODESTONE_DATA_DIR")) origin = "$LODESTONE_DATA_DIR";
    }
    const std::string name = key.substr(dot + 1);
    if (!value && key == "server.dataset") {  // no single default value to show
      std::printf("# %-24s = (%s)  # %s (--%s)\n", name.c_str(), s.default_text, s.meaning, s.flag);
      continue;
    }
    const std::string text = value.value_or(s.default_text);
    const std::string shown = s.kind == SettingKind::Text ? "\"" + text + "\"" : text;
    std::printf("%-26s = %-28s # %s (--%s; from %s)\n", name.c_str(), shown.c_str(), s.meaning, s.flag,
                origin.c_str());
  }
  return 0;
}

}  // namespace lodestone::server
