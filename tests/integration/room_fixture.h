#pragma once
// What the reliability and access tests share: a real server process with tokens for
// each role, joining as a client, asking for an intent's result, and reading the store.
#include "core/room_client.h"
#include "store/database.h"
#include "support/server_process.h"
#include "support/time_scale.h"
#include "integration/stored_labels.h"
#include "result_checks.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <functional>
#include <memory>
#include <string>

namespace lodestone::testing {

inline const int kWaitMs = scaled_ms(10000);

inline std::unique_ptr<client::RoomClient> join_room(std::uint16_t port, const std::string& token,
                                                     const std::string& name) {
  auto c = std::make_unique<client::RoomClient>(client::ConnectOptions{"127.0.0.1", port, token, name});
  EXPECT_TRUE(c->connect(scaled_ms(3000))) << c->error();
  EXPECT_TRUE(c->poll_until([&] { return c->scene().has_keyframe && !c->scene().label_set.classes.empty(); },
                            kWaitMs))
      << name << " got no join state: " << c->error();
  return c;
}

inline IntentResult ask(client::RoomClient& c, Intent intent) {
  const auto id = c.send_intent(intent);
  std::optional<IntentResult> result;
  EXPECT_TRUE(c.poll_until([&] { return (result = c.result(id)).has_value(); }, kWaitMs)) << "no result";
  return result.value_or(testing::no_intent_answer());
}

inline std::int64_t count_rows(const std::filesystem::path& database, const std::string& sql) {
  auto db = store::Database::open(database);
  auto q = db.prepare(sql);
  q.step();
  return q.int64(0);
}

inline std::string integrity(const std::filesystem::path& database) {
  auto db = store::Database::open(database);
  auto q = db.prepare("PRAGMA integrity_check");
  return q.step() ? q.text(0) : "no answer";
}

// True while the server process runs (it has not exited or been killed).
inline bool alive(const ServerProcess& server) {
  int status = 0;
  return server.pid() > 0 && waitpid(server.pid(), &status, WNOHANG) == 0;
}

// The id `token list` shows for `user`'s token.
inline std::string token_id_of(const ServerProcess& server, const std::string& user,
                               const std::function<void()>& while_waiting = {}) {
  const auto listed = run_command(server.server({"token", "list"}), while_waiting);
  const auto at = listed.out.find(" " + user + " ");
  if (at == std::string::npos) return "";
  const auto line = listed.out.substr(listed.out.rfind('\n', at) + 1);
  return std::to_string(std::stoi(line));
}

}  // namespace lodestone::testing
