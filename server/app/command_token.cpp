#include "access/token_store.h"
#include "app/commands.h"
#include "app/server_context.h"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace lodestone::server {

// token create NAME --role ROLE | token revoke ID | token list
int command_token(const Args& args) {
  auto db = open_store(resolve_data_dir(args.option("data-dir")));
  const auto& pos = args.positionals();
  const std::string action = pos.size() > 1 ? pos[1] : "list";
  if (action == "create") {
    if (pos.size() < 3) throw UsageError("token create needs a user name");
    const auto role = access::parse_role(args.option_or("role", "annotator"));
    if (!role) throw UsageError("--role must be lead, annotator or viewer");
    const auto created = access::create_token(db, pos[2], *role);
    std::fprintf(stderr, "token %lld for %s (%s); it is shown only now:\n",
                 static_cast<long long>(created.token_id), pos[2].c_str(), access::role_name(*role));
    std::printf("%s\n", created.secret.c_str());
    return 0;
  }
  if (action == "revoke") {
    if (pos.size() < 3) throw UsageError("token revoke needs a token id (see `token list`)");
    if (!access::revoke_token(db, std::stoll(pos[2]))) {
      spdlog::error("no live token {}", pos[2]);
      return 1;
    }
    spdlog::info("token {} revoked; its sessions end within a second", pos[2]);
    return 0;
  }
  if (action != "list") throw UsageError("unknown token action '" + action + "' (create, revoke, list)");
  std::printf("%-5s %-20s %-10s %-25s %s\n", "id", "user", "role", "created", "revoked");
  for (const auto& t : access::list_tokens(db)) {
    std::printf("%-5lld %-20s %-10s %-25s %s\n", static_cast<long long>(t.token_id), t.user_name.c_str(),
                access::role_name(t.role), t.created_at.c_str(), t.revoked_at.value_or("-").c_str());
  }
  return 0;
}

}  // namespace lodestone::server
