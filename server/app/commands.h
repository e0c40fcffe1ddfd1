#pragma once
// One function per lodestone-server sub-command; each returns the process exit code.
#include "app/args.h"

#include <filesystem>

namespace lodestone::server {

int command_import(const Args& args);
int command_generate_audio(const Args& args);
int command_datasets(const Args& args);
int command_migrate(const Args& args);
int command_serve(const Args& args);
int command_train(const Args& args);
int command_train_worker(const Args& args);
int command_label(const Args& args);
int command_embed(const Args& args);
int command_checkpoints(const Args& args);
int command_token(const Args& args);
int command_export(const Args& args);
int command_backup(const Args& args);
int command_restore(const Args& args);
int command_status(const Args& args);
int command_config(const Args& args);

// Held by `serve` for its whole run, so `restore` can tell the server is running.
class ServeLock {
 public:
  explicit ServeLock(const std::filesystem::path& data_dir);
  ~ServeLock();
  ServeLock(const ServeLock&) = delete;
  ServeLock& operator=(const ServeLock&) = delete;
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace lodestone::server
