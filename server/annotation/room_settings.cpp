#include "annotation/room_settings.h"

namespace lodestone::annotation {

std::optional<std::string> read_room_setting(store::Database& db, const std::string& key) {
  auto q = db.prepare("SELECT value FROM room_settings WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void write_room_setting(store::Database& db, const std::string& key, const std::string& value) {
  db.prepare("INSERT INTO room_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

}  // namespace lodestone::annotation
