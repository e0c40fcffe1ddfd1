#pragma once
// The ENet channels of a Lodestone connection, chosen by what each stream needs.
#include <cstdint>

namespace lodestone {

enum Channel : std::uint8_t {
  // Reliable, ordered: hello, join sync, intents and their results, label changes,
  // thumbnails, training status. Nothing here may be lost or reordered.
  kControlChannel = 0,
  // Unreliable fragments: room snapshots. A lost snapshot is replaced by the next one
  // (deltas are taken against what the client acknowledged), and a reliable stream of
  // large snapshots would wedge behind retransmits under load.
  kSnapshotChannel = 1,
  // Unreliable: presence (head and hands) at up to 30 per second; only the newest matters.
  kPresenceChannel = 2,
  // Reliable, ordered, apart from control: sound clips (tens of kilobytes to a few
  // megabytes each), so an intent's answer never queues behind someone's clip.
  kClipChannel = 3,
  // Unreliable: voice, 20 ms Opus frames. A late frame is worth nothing; the receiver's
  // jitter buffer conceals a lost one.
  kVoiceChannel = 4,
  kChannelCount = 5,
};

enum class Delivery { Reliable, UnreliableFragment, Unreliable };

constexpr Delivery delivery_of(Channel channel) {
  switch (channel) {
    case kControlChannel: return Delivery::Reliable;
    case kSnapshotChannel: return Delivery::UnreliableFragment;
    case kPresenceChannel: return Delivery::Unreliable;
    case kClipChannel: return Delivery::Reliable;
    case kVoiceChannel: return Delivery::Unreliable;
    default: return Delivery::Reliable;
  }
}

// Per-host limits: a Lodestone peer never needs a bigger packet than a snapshot.
inline constexpr std::size_t kMaxPacketBytes = 24u << 20;
inline constexpr int kSocketBufferBytes = 4 << 20;

}  // namespace lodestone
