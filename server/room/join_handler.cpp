#include "room/join_handler.h"

#include "access/token_store.h"
#include "annotation/sphere_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::room {
namespace {

using Clock = std::chrono::steady_clock;
// Thumbnails per message: as many tiles as fit in 64 KiB (at least one).
constexpr std::size_t kThumbnailMessageBytes = 64 * 1024;
// ENet commands (about one per 1.4 KB fragment) a peer may have waiting to be sent before
// more thumbnails are queued for it: the room never holds a whole dataset's thumbnails in
// ENet's queue, whose every service walks it (at a million items, 784 MB queued at once
// made each poll of the room thread take 100 ms and more). It also keeps a new focus
// effective at once: little of the old order is already queued.
constexpr std::size_t kMostQueuedCommands = 1024;
// A focus puts this many of the nearest missing items first: more than the client draws
// as cubes (client/cube_instances.h, 100,000). At most one focus a second per client: each
// costs a pass over the items (about 20 ms at a million).
constexpr std::size_t kFocusItems = 131'072;
constexpr auto kFocusInterval = std::chrono::seconds(1);

std::size_t queued_commands(ENetPeer* peer) { return enet_list_size(&peer->outgoingCommands); }

}  // namespace

void JoinHandler::on_hello(Session& session, const Hello& hello) {
  if (hello.protocol_version != kProtocolVersion) {
    sessions_.refuse(session, RefusalCode::ProtocolVersion,
                     "this server speaks protocol version " + std::to_string(kProtocolVersion) + ", the client " +
                         std::to_string(hello.protocol_version));
    return;
  }
  access::Verification check;
  try {
    check = access::verify_token(room_.db, hello.token);
  } catch (const std::exception& e) {
    spdlog::error("cannot check a token: {}", e.what());
    sessions_.refuse(session, RefusalCode::StorageFailure, "cannot check the token: " + store::client_reason(e));
    return;
  }
  if (check.result == access::TokenCheck::Unknown) {
    sessions_.refuse(session, RefusalCode::BadToken, "unknown token: ask your project lead for one");
    return;
  }
  if (check.result == access::TokenCheck::Revoked) {
    sessions_.refuse(session, RefusalCode::RevokedToken, "this token was revoked on " + *check.token.revoked_at);
    return;
  }
  session.authenticated = true;
  session.kind = hello.kind;
  session.token_id = check.token.token_id;
  session.identity = {check.token.user_id, check.token.user_name, check.token.role, check.token.user_color,
                      LODESTONE_VERSION};
  spdlog::info("{} joined as {} from {} ({})", session.identity.user_name, access::role_name(session.identity.role),
               net::peer_address(session.peer), hello.client_name);
  if (session.kind == ClientKind::Monitor) {
    net::send_message(session.peer, kControlChannel, session.identity);
    return;
  }
  send_join_state(session, hello.cached_thumbnails_hash);
}

void JoinHandler::send_join_state(Session& session, std::uint64_t cached_thumbnails_hash) {
  ENetPeer* peer = session.peer;
  net::send_message(peer, kControlChannel, session.identity);
  net::send_message(peer, kControlChannel, room_.description);
  net::send_message(peer, kControlChannel, room_.labels.label_set());
  for (const auto& sphere : annotation::live_spheres(room_.db, room_.description.dataset_id)) {
    net::send_message(peer, kControlChannel, SphereUpdate{sphere});
  }
  net::send_message(peer, kControlChannel, LabelsChanged{true, room_.labels.all()});
  if (session.kind == ClientKind::Console && !room_.training_history.empty()) {
    RecentTraining history;
    const auto now = Clock::now();
    for (const auto& [at, status] : room_.training_history) {
      history.points.push_back({std::chrono::duration<double>(now - at).count(), status});
    }
    net::send_message(peer, kControlChannel, history);
  }
  if (!room_.predictions.told().empty()) {
    net::send_message(peer, kControlChannel, Predictions{true, room_.predictions.threshold(), room_.predictions.told()});
  }
  send_keyframe(session);
  // The thumbnails follow, paced by send_thumbnails: in item order until the client says
  // where its viewer stands.
  if (cached_thumbnails_hash == room_.description.thumbnails_hash || tile_bytes() == 0) {
    session.thumbnails.finish();
  } else {
    session.thumbnails.start(room_.thumbnails.size() / tile_bytes());
  }
  send_thumbnails(session);
}

std::size_t JoinHandler::tile_bytes() const {
  const auto& d = room_.description;
  return std::size_t{d.width} * d.height * d.channels;
}

void JoinHandler::send_thumbnails() {
  sessions_.for_each([&](Session& session) {
    if (session.authenticated && session.thumbnails.left() > 0) send_thumbnails(session);
  });
}

void JoinHandler::send_thumbnails(Session& session) {
  const std::size_t tile = tile_bytes();
  const std::size_t per_message = std::max<std::size_t>(1, kThumbnailMessageBytes / std::max<std::size_t>(1, tile));
  while (session.thumbnails.left() > 0 && queued_commands(session.peer) < kMostQueuedCommands) {
    ThumbnailTiles tiles{room_.description.thumbnails_hash, static_cast<std::uint32_t>(tile),
                         session.thumbnails.take(per_message), {}};
    tiles.bytes.resize(tiles.items.size() * tile);
    for (std::size_t k = 0; k < tiles.items.size(); ++k) {
      std::copy_n(room_.thumbnails.begin() + static_cast<std::ptrdiff_t>(tiles.items[k] * tile), tile,
                  tiles.bytes.begin() + static_cast<std::ptrdiff_t>(k * tile));
    }
    if (!net::send_message(session.peer, kControlChannel, tiles)) {
      spdlog::warn("cannot queue thumbnails for {} ({} left)", session.identity.user_name, session.thumbnails.left());
      session.thumbnails.finish();  // given up: the client says what it lacks
      return;
    }
  }
}

void JoinHandler::on_focus(Session& session, const ThumbnailFocus& focus) {
  if (focus.content_hash != room_.description.thumbnails_hash || session.thumbnails.left() == 0) return;
  const auto now = Clock::now();
  if (now - session.last_focus < kFocusInterval) return;
  session.last_focus = now;
  session.thumbnails.focus(room_.stream.display(), focus.viewer, kFocusItems);
}

void JoinHandler::on_presence(Session& session, Presence presence) {
  const auto now = Clock::now();
  if (now - session.last_presence < std::chrono::milliseconds(30)) return;  // at most ~30 per second
  session.last_presence = now;
  presence.user_id = session.identity.user_id;
  presence.name = session.identity.user_name;
  presence.color = session.identity.color;
  sessions_.broadcast(encode(presence), kPresenceChannel, &session);
}

void JoinHandler::send_keyframe(Session& session) {
  if (room_.stream.seq() == 0) return;
  const auto since_start = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - room_.started).count();
  net::send_message(session.peer, kControlChannel, Snapshot{room_.stream.seq(), since_start, 0, *room_.stream.frame_for(0).bytes});
  session.last_sent_seq = room_.stream.seq();
}

}  // namespace lodestone::room
