#include "access/token_store.h"

#include "annotation/label_store.h"

#include <sodium.h>

#include <stdexcept>

namespace lodestone::access {
namespace {

std::string hash_secret(const std::string& secret) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

TokenInfo read(store::Statement& q) {
  TokenInfo t;
  t.token_id = q.int64(0);
  t.user_id = q.int64(1);
  t.user_name = q.text(2);
  t.user_color = static_cast<std::uint32_t>(q.int64(3));
  t.role = parse_role(q.text(4)).value_or(Role::Viewer);
  t.created_at = q.text(5);
  if (!q.is_null(6)) t.revoked_at = q.text(6);
  return t;
}

constexpr const char* kSelect =
    "SELECT t.id, u.id, u.name, u.color, t.role, t.created_at, t.revoked_at FROM tokens t"
    " JOIN users u ON u.id = t.user_id";

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::Lead: return "lead";
    case Role::Annotator: return "annotator";
    case Role::Viewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(const std::string& text) {
  if (text == "lead") return Role::Lead;
  if (text == "annotator") return Role::Annotator;
  if (text == "viewer") return Role::Viewer;
  return std::nullopt;
}

CreatedToken create_token(store::Database& db, const std::string& user_name, Role role) {
  ensure_sodium();
  unsigned char random[24];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  CreatedToken created{0, std::string("lds_") + hex};
  store::Transaction tx(db);
  const auto user = annotation::ensure_user(db, user_name);
  db.prepare("INSERT INTO tokens (user_id, role, token_hash) VALUES (?, ?, ?)")
      .bind(1, user).bind(2, role_name(role)).bind(3, hash_secret(created.secret)).run();
  created.token_id = db.last_insert_id();
  db.prepare("INSERT INTO audit_log (action, detail) VALUES ('token.create', ?)")
      .bind(1, "token " + std::to_string(created.token_id) + " for " + user_name + " as " + role_name(role))
      .run();
  tx.commit();
  return created;
}

bool revoke_token(store::Database& db, std::int64_t token_id) {
  store::Transaction tx(db);
  db.prepare("UPDATE tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
             " WHERE id = ? AND revoked_at IS NULL").bind(1, token_id).run();
  const bool changed = db.changes() > 0;
  if (changed) {
    db.prepare("INSERT INTO audit_log (action, detail) VALUES ('token.revoke', ?)")
        .bind(1, "token " + std::to_string(token_id)).run();
  }
  tx.commit();
  return changed;
}

std::vector<TokenInfo> list_tokens(store::Database& db) {
  std::vector<TokenInfo> all;
  auto q = db.prepare(std::string(kSelect) + " ORDER BY t.id");
  while (q.step()) all.push_back(read(q));
  return all;
}

Verification verify_token(store::Database& db, const std::string& secret) {
  ensure_sodium();
  auto q = db.prepare(std::string(kSelect) + " WHERE t.token_hash = ?");
  q.bind(1, hash_secret(secret));
  if (!q.step()) return {};
  Verification v{TokenCheck::Valid, read(q)};
  if (v.token.revoked_at) v.result = TokenCheck::Revoked;
  return v;
}

bool is_revoked(store::Database& db, std::int64_t token_id) {
  auto q = db.prepare("SELECT revoked_at IS NOT NULL FROM tokens WHERE id = ?");
  q.bind(1, token_id);
  return !q.step() || q.int64(0) != 0;
}

}  // namespace lodestone::access
