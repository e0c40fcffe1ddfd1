#pragma once
// Where the console remembers how to reach the server. Host and port go to QSettings;
// the token is a secret, so it goes to a file only the user can read (mode 0600) under
// the application's configuration folder, never into the settings file.
#include "console_connection.h"

#include <QString>

namespace lodestone::console {

struct RememberedConnection {
  ServerAddress address;
  bool remember_token = true;
};

RememberedConnection load_connection_settings();
// Returns an empty string, or a sentence saying why the token could not be stored.
QString save_connection_settings(const RememberedConnection& settings);
QString token_file_path();

}  // namespace lodestone::console
