#pragma once
// Access tokens: random secrets shown once at creation and stored only as a BLAKE2b
// hash (libsodium). Each belongs to a user and carries a role.
#include "lodestone/types.h"
#include "store/database.h"

#include <optional>
#include <string>
#include <vector>

namespace lodestone::access {

struct TokenInfo {
  std::int64_t token_id = 0;
  UserId user_id = 0;
  std::string user_name;
  std::uint32_t user_color = 0;
  Role role = Role::Viewer;
  std::string created_at;
  std::optional<std::string> revoked_at;
};

const char* role_name(Role role);
std::optional<Role> parse_role(const std::string& text);

struct CreatedToken {
  std::int64_t token_id = 0;
  std::string secret;  // show once; never stored
};

// Creates the user if needed and a fresh token for them with `role`.
CreatedToken create_token(store::Database& db, const std::string& user_name, Role role);

// Revokes by token id; false when no such live token exists.
bool revoke_token(store::Database& db, std::int64_t token_id);

std::vector<TokenInfo> list_tokens(store::Database& db);

enum class TokenCheck { Valid, Unknown, Revoked };
struct Verification {
  TokenCheck result = TokenCheck::Unknown;
  TokenInfo token;
};
Verification verify_token(store::Database& db, const std::string& secret);

// Token ids revoked since the given audit-log id (for ending live sessions).
bool is_revoked(store::Database& db, std::int64_t token_id);

}  // namespace lodestone::access
