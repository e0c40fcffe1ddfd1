#pragma once
// Room settings a lead changes while the room runs (the acceptance threshold), kept in
// the store so a restart keeps them.
#include "store/database.h"

#include <optional>
#include <string>

namespace lodestone::annotation {

std::optional<std::string> read_room_setting(store::Database& db, const std::string& key);
void write_room_setting(store::Database& db, const std::string& key, const std::string& value);

}  // namespace lodestone::annotation
