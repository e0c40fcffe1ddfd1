#pragma once
// One function per lodestone-server sub-command; each returns the process exit code.
#include "app/args.h"

namespace lodestone::server {

int command_import(const Args& args);
int command_datasets(const Args& args);
int command_migrate(const Args& args);
int command_serve(const Args& args);
int command_train(const Args& args);
int command_label(const Args& args);
int command_embed(const Args& args);
int command_checkpoints(const Args& args);
int command_token(const Args& args);
int command_export(const Args& args);

}  // namespace lodestone::server
