#pragma once
// Plain types every part of Lodestone speaks in.
#include <cstdint>

namespace lodestone {

struct Vec3 {
  float x = 0, y = 0, z = 0;
  friend bool operator==(const Vec3&, const Vec3&) = default;
  template <class Archive>
  void serialize(Archive& ar) { ar(x, y, z); }
};

struct Quat {
  float x = 0, y = 0, z = 0, w = 1;
  friend bool operator==(const Quat&, const Quat&) = default;
  template <class Archive>
  void serialize(Archive& ar) { ar(x, y, z, w); }
};

struct Pose {
  Vec3 position;
  Quat orientation;
  friend bool operator==(const Pose&, const Pose&) = default;
  template <class Archive>
  void serialize(Archive& ar) { ar(position, orientation); }
};

// An axis-aligned box; the room cube points are quantised inside.
struct Box {
  Vec3 min;
  Vec3 max;
  friend bool operator==(const Box&, const Box&) = default;
  template <class Archive>
  void serialize(Archive& ar) { ar(min, max); }
};

using ItemId = std::int64_t;
using ClassId = std::int64_t;
using SphereId = std::int64_t;
using UserId = std::int64_t;
inline constexpr ClassId kNoClass = -1;

enum class Role : std::uint8_t { Viewer = 0, Annotator = 1, Lead = 2 };
// Monitor: asks for status only (the `status` command); it gets no room state or snapshots.
enum class ClientKind : std::uint8_t { Headset = 0, Desktop = 1, Bot = 2, Console = 3, Monitor = 4 };

// Why a server refused a hello or an intent; shown to the user with the message text.
enum class RefusalCode : std::uint16_t {
  ProtocolVersion = 1,
  BadToken = 2,
  RevokedToken = 3,
  HelloTimeout = 4,
  Forbidden = 5,
  Malformed = 6,
  NotFound = 7,
  RateLimited = 8,
  StorageFailure = 9,
  ServerFull = 10,
  ShuttingDown = 11,
  Busy = 12,       // another operation of the same kind is running
  Failed = 13,     // the operation ran and failed (the message says why)
  Idle = 14,       // nothing heard from the client for longer than the idle limit
};

}  // namespace lodestone
