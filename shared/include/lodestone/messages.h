#pragma once
// Every message of the Lodestone protocol. Each struct is serialised with cereal's
// portable binary archive inside the envelope (envelope.h). Variable-length fields go
// through wire::bounded so a peer cannot make the decoder allocate at will; optional ones
// through wire::optional (a presence byte, 0 or 1).
#include "lodestone/item_labels.h"
#include "lodestone/item_predictions.h"
#include "lodestone/types.h"
#include "lodestone/wire_bounds.h"

#include <cereal/types/common.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lodestone {

// 2: predicted-delta snapshots; 3: packed labels; 4: predictions;
// 5: results without a refusal on success; 6: sound clips and voice
inline constexpr std::uint16_t kProtocolVersion = 7;

struct Hello {
  std::uint16_t protocol_version = kProtocolVersion;
  ClientKind kind = ClientKind::Bot;
  std::string token;
  std::string client_name;
  std::uint64_t cached_thumbnails_hash = 0;  // thumbnails the client holds; 0 for none
  friend bool operator==(const Hello&, const Hello&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(protocol_version, kind, wire::bounded(token, wire::kMaxNameBytes),
       wire::bounded(client_name, wire::kMaxNameBytes), cached_thumbnails_hash);
  }
};

struct Welcome {
  UserId user_id = 0;
  std::string user_name;
  Role role = Role::Viewer;
  std::uint32_t color = 0;
  std::string server_version;
  friend bool operator==(const Welcome&, const Welcome&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(user_id, wire::bounded(user_name, wire::kMaxNameBytes), role, color,
       wire::bounded(server_version, wire::kMaxNameBytes));
  }
};

// Why the server said no: sent alone when it ends a connection (a refused hello), and
// inside a refused IntentResult.
struct Refusal {
  RefusalCode code = RefusalCode::Malformed;
  std::string message;
  friend bool operator==(const Refusal&, const Refusal&) = default;
  template <class A>
  void serialize(A& ar) { ar(code, wire::bounded(message, wire::kMaxTextBytes)); }
};

struct DatasetDescription {
  std::int64_t dataset_id = 0;
  std::string name;
  std::uint32_t item_count = 0;
  std::uint16_t width = 0, height = 0, channels = 0;
  std::uint64_t thumbnails_hash = 0;
  std::uint64_t thumbnails_bytes = 0;
  Box room;
  std::uint32_t sample_rate = 0;  // a sound dataset's rate (its items are clips); 0 for images
  bool is_sound() const { return sample_rate != 0; }
  friend bool operator==(const DatasetDescription&, const DatasetDescription&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(dataset_id, wire::bounded(name, wire::kMaxNameBytes), item_count, width, height, channels,
       thumbnails_hash, thumbnails_bytes, room, sample_rate);
  }
};

struct ClassInfo {
  ClassId id = 0;
  std::string name;
  std::uint32_t color = 0;  // 0xRRGGBB
  std::uint32_t position = 0;
  friend bool operator==(const ClassInfo&, const ClassInfo&) = default;
  template <class A>
  void serialize(A& ar) { ar(id, wire::bounded(name, wire::kMaxNameBytes), color, position); }
};

struct LabelSet {
  std::int64_t label_set_id = 0;
  std::vector<ClassInfo> classes;
  friend bool operator==(const LabelSet&, const LabelSet&) = default;
  template <class A>
  void serialize(A& ar) { ar(label_set_id, wire::bounded(classes, wire::kMaxClasses)); }
};

// A class's position in the label set (the model's class index), -1 when absent.
inline int class_position(const LabelSet& set, ClassId id) {
  for (std::size_t i = 0; i < set.classes.size(); ++i) {
    if (set.classes[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

struct Sphere {
  SphereId id = 0;
  UserId owner_id = 0;
  Vec3 center;
  float radius = 0;
  ClassId class_id = kNoClass;
  friend bool operator==(const Sphere&, const Sphere&) = default;
  template <class A>
  void serialize(A& ar) { ar(id, owner_id, center, radius, class_id); }
};

struct SphereUpdate {
  Sphere sphere;
  friend bool operator==(const SphereUpdate&, const SphereUpdate&) = default;
  template <class A>
  void serialize(A& ar) { ar(sphere); }
};

struct SphereRemoved {
  SphereId sphere_id = 0;
  friend bool operator==(const SphereRemoved&, const SphereRemoved&) = default;
  template <class A>
  void serialize(A& ar) { ar(sphere_id); }
};

struct LabelsChanged {
  bool full = false;  // true: the complete set of current labels (on join); else changes
  std::vector<ItemLabel> labels;
  friend bool operator==(const LabelsChanged&, const LabelsChanged&) = default;
  template <class A>
  void save(A& ar) const {
    auto packed = pack_item_labels(labels);
    ar(full, wire::bounded(packed, wire::kMaxBlobBytes));
  }
  template <class A>
  void load(A& ar) {
    std::vector<std::uint8_t> packed;
    ar(full, wire::bounded(packed, wire::kMaxBlobBytes));
    labels = unpack_item_labels(packed, wire::kMaxItemsPerMessage);
  }
};

// Room coordinates of every item, encoded by point_codec.h (keyframe when base_seq is 0).
struct Snapshot {
  std::uint64_t seq = 0;
  std::int64_t server_time_us = 0;
  std::uint64_t base_seq = 0;
  std::vector<std::uint8_t> encoded;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(seq, server_time_us, base_seq, wire::bounded(encoded, 2 * wire::kMaxBlobBytes));
  }
};

struct SnapshotAck {
  std::uint64_t seq = 0;
  friend bool operator==(const SnapshotAck&, const SnapshotAck&) = default;
  template <class A>
  void serialize(A& ar) { ar(seq); }
};

// Some items' thumbnails, `tile_bytes` each, in the order of `items` (any order: the
// server sends the items nearest the client's ThumbnailFocus first).
struct ThumbnailTiles {
  std::uint64_t content_hash = 0;
  std::uint32_t tile_bytes = 0;
  std::vector<std::uint32_t> items;
  std::vector<std::uint8_t> bytes;
  friend bool operator==(const ThumbnailTiles&, const ThumbnailTiles&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(content_hash, tile_bytes, wire::bounded(items, std::size_t{1} << 16), wire::bounded(bytes, std::size_t{1} << 20));
  }
};

// Where the client's viewer stands (room coordinates): the server sends the thumbnails
// of the items nearest it before the others. Sent after the first snapshot, and again
// when the viewer has moved far, while thumbnails are missing.
struct ThumbnailFocus {
  std::uint64_t content_hash = 0;
  Vec3 viewer;
  friend bool operator==(const ThumbnailFocus&, const ThumbnailFocus&) = default;
  template <class A>
  void serialize(A& ar) { ar(content_hash, viewer); }
};

enum class IntentKind : std::uint8_t {
  CreateSphere = 0,
  MoveSphere = 1,
  ResizeSphere = 2,
  DeleteSphere = 3,
  AssignClass = 4,
  EraseLabels = 5,
  Undo = 6,
  // Labels every unlabelled item inside the sphere with the model's predicted class where
  // its confidence reaches the room's acceptance threshold (origin "accepted").
  AcceptPredictions = 7,
};

struct Intent {
  std::uint64_t intent_id = 0;
  IntentKind kind = IntentKind::CreateSphere;
  SphereId sphere_id = 0;
  Vec3 center;
  float radius = 0;
  ClassId class_id = kNoClass;
  friend bool operator==(const Intent&, const Intent&) = default;
  template <class A>
  void serialize(A& ar) { ar(intent_id, kind, sphere_id, center, radius, class_id); }
};

// The answer to one Intent: accepted (no refusal; sphere_id is the sphere created or acted
// on, items_affected the items labelled or erased) or refused with a code and a reason
// (sphere_id is the intent's, items_affected 0).
struct IntentResult {
  std::uint64_t intent_id = 0;
  SphereId sphere_id = 0;
  std::uint32_t items_affected = 0;
  std::optional<Refusal> refusal;  // absent: accepted
  bool accepted() const { return !refusal; }
  // The refusal's text for a person; empty when accepted.
  const std::string& reason() const {
    static const std::string none;
    return refusal ? refusal->message : none;
  }
  friend bool operator==(const IntentResult&, const IntentResult&) = default;
  template <class A>
  void serialize(A& ar) { ar(intent_id, sphere_id, items_affected, wire::optional(refusal)); }
};

struct Presence {
  UserId user_id = 0;
  std::string name;
  std::uint32_t color = 0;
  Pose head, left_hand, right_hand;
  friend bool operator==(const Presence&, const Presence&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(user_id, wire::bounded(name, wire::kMaxNameBytes), color, head, left_hand, right_hand);
  }
};

// The model's verdict per item (item_predictions.h): all of them when `full` (on join, and
// after a label-set change), otherwise the items whose verdict changed. Also carries the
// room's acceptance threshold, so a client can tell what accepting would take.
struct Predictions {
  bool full = false;
  float acceptance_threshold = 0.9f;
  std::vector<ItemPrediction> items;
  friend bool operator==(const Predictions&, const Predictions&) = default;
  template <class A>
  void save(A& ar) const {
    auto packed = pack_item_predictions(items);
    ar(full, acceptance_threshold, wire::bounded(packed, wire::kMaxBlobBytes));
  }
  template <class A>
  void load(A& ar) {
    std::vector<std::uint8_t> packed;
    ar(full, acceptance_threshold, wire::bounded(packed, wire::kMaxBlobBytes));
    items = unpack_item_predictions(packed, wire::kMaxItemsPerMessage);
  }
};

// What a client asks of one item it points at; the answer is an ItemDetails.
struct InspectRequest {
  std::uint64_t request_id = 0;
  std::uint32_t item_index = 0;
  friend bool operator==(const InspectRequest&, const InspectRequest&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, item_index); }
};

// One annotation of an item, newest first in ItemDetails::history.
struct AnnotationEntry {
  ClassId class_id = kNoClass;  // kNoClass: an erase
  std::string annotator;
  std::string at;               // ISO 8601, UTC
  std::string origin;           // "manual" or "accepted"
  friend bool operator==(const AnnotationEntry&, const AnnotationEntry&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(class_id, wire::bounded(annotator, wire::kMaxNameBytes), wire::bounded(at, wire::kMaxNameBytes),
       wire::bounded(origin, wire::kMaxNameBytes));
  }
};

struct ItemDetails {
  std::uint64_t request_id = 0;
  std::uint32_t item_index = 0;
  bool found = false;  // false: `error` says why
  std::string error;
  ItemId item_id = 0;
  std::string source;  // the file, or the index in the source file
  std::vector<AnnotationEntry> history;  // newest first; the first is the current label
  friend bool operator==(const ItemDetails&, const ItemDetails&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, item_index, found, wire::bounded(error, wire::kMaxTextBytes), item_id,
       wire::bounded(source, wire::kMaxTextBytes), wire::bounded(history, wire::kMaxHistoryEntries));
  }
};

// What a client asks to hear of one item of a sound dataset; the answer is a ClipData.
struct ClipRequest {
  std::uint64_t request_id = 0;
  std::uint32_t item_index = 0;
  friend bool operator==(const ClipRequest&, const ClipRequest&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, item_index); }
};

// One item's sound: its window of the original recording, mono, at the recording's rate
// (at most 48 kHz and 30 s), as FLAC (audio/clip_codec.h). Empty `flac` with `error`
// saying why when there is none (an image dataset, a recording gone from the server).
struct ClipData {
  std::uint64_t request_id = 0;
  std::uint32_t item_index = 0;
  std::string error;
  std::vector<std::uint8_t> flac;
  friend bool operator==(const ClipData&, const ClipData&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, item_index, wire::bounded(error, wire::kMaxTextBytes), wire::bounded(flac, wire::kMaxClipBytes));
  }
};

// 20 ms of one person's voice, Opus-encoded (shared/audio/voice_codec.h), on the voice
// channel. A client sends its own with speaker 0; the server relays it to the others with
// the speaker set, when the speaker's role may speak and no lead has muted them.
// `captured_us`: the sender's monotonic clock when the frame was captured (on one machine
// the receiver can tell mouth-to-ear time from it; across machines it is only carried).
struct VoiceFrame {
  UserId speaker = 0;
  std::uint32_t sequence = 0;
  std::int64_t captured_us = 0;
  std::vector<std::uint8_t> opus;
  friend bool operator==(const VoiceFrame&, const VoiceFrame&) = default;
  template <class A>
  void serialize(A& ar) { ar(speaker, sequence, captured_us, wire::bounded(opus, wire::kMaxVoiceFrameBytes)); }
};

// Accuracy figures are NaN when unknown (no labels yet, or no ground truth).
struct TrainingStatus {
  std::uint64_t step = 0;
  float reconstruction_loss = 0, kl_loss = 0, classifier_loss = 0;
  std::uint32_t labelled_count = 0;
  float labelled_accuracy = 0, unlabelled_accuracy = 0, knn_accuracy = 0;
  float samples_per_second = 0;
  bool paused = false;
  friend bool operator==(const TrainingStatus&, const TrainingStatus&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(step, reconstruction_loss, kl_loss, classifier_loss, labelled_count, labelled_accuracy,
       unlabelled_accuracy, knn_accuracy, samples_per_second, paused);
  }
};

// The room's recent training figures (the last hour, one a second), sent to a console
// when it joins so its charts start with what happened before it connected.
struct TrainingPoint {
  double seconds_ago = 0;
  TrainingStatus status;
  friend bool operator==(const TrainingPoint&, const TrainingPoint&) = default;
  template <class A>
  void serialize(A& ar) { ar(seconds_ago, status); }
};

struct RecentTraining {
  std::vector<TrainingPoint> points;  // oldest first
  friend bool operator==(const RecentTraining&, const RecentTraining&) = default;
  template <class A>
  void serialize(A& ar) { ar(wire::bounded(points, wire::kMaxTrainingPoints)); }
};

}  // namespace lodestone

#include "lodestone/admin_messages.h"

namespace lodestone {

// The protocol's message table: name, wire type id, largest payload accepted.
// Type ids are never reused; a new message takes the next free id (11, ThumbnailChunk,
// was retired in protocol 7 for ThumbnailTiles).
#define LODESTONE_MESSAGES(X)                        \
  X(Hello, 1, 2 * 1024)                              \
  X(Welcome, 2, 2 * 1024)                            \
  X(Refusal, 3, 8 * 1024)                            \
  X(DatasetDescription, 4, 2 * 1024)                 \
  X(LabelSet, 5, 512 * 1024)                         \
  X(SphereUpdate, 6, 256)                            \
  X(SphereRemoved, 7, 64)                            \
  X(LabelsChanged, 8, 32 * 1024 * 1024)              \
  X(Snapshot, 9, 2 * wire::kMaxBlobBytes + 64)       \
  X(SnapshotAck, 10, 64)                             \
  X(Intent, 12, 256)                                 \
  X(IntentResult, 13, 8 * 1024)                      \
  X(Presence, 14, 2 * 1024)                          \
  X(TrainingStatus, 15, 256)                         \
  X(StatusRequest, 16, 64)                           \
  X(ServerStatus, 17, 4 * 1024)                      \
  X(AdminResult, 18, 10 * 1024)                      \
  X(OperationProgress, 19, 1024)                     \
  X(ListRequest, 20, 64)                             \
  X(ListReply, 21, 32 * 1024 * 1024)                 \
  X(ClassCommand, 22, 1024)                          \
  X(CheckpointCommand, 23, 64)                       \
  X(TrainingCommand, 24, 128)                        \
  X(TokenCommand, 25, 1024)                          \
  X(ResolveConflict, 26, 64)                         \
  X(ImportRequest, 27, 8 * 1024)                     \
  X(ExportRequest, 28, 12 * 1024)                    \
  X(Predictions, 29, 2 * wire::kMaxBlobBytes + 64)   \
  X(InspectRequest, 30, 64)                          \
  X(ItemDetails, 31, 256 * 1024)                     \
  X(RecentTraining, 32, 512 * 1024)                 \
  X(ClipRequest, 33, 64)                             \
  X(ClipData, 34, wire::kMaxClipBytes + 8 * 1024)   \
  X(VoiceFrame, 35, wire::kMaxVoiceFrameBytes + 64) \
  X(VoiceCommand, 36, 64)                            \
  X(ThumbnailTiles, 37, (1 << 20) + (1 << 18) + 64)  \
  X(ThumbnailFocus, 38, 64)

enum class MessageType : std::uint16_t {
#define LODESTONE_ENUM(name, id, max) name = id,
  LODESTONE_MESSAGES(LODESTONE_ENUM)
#undef LODESTONE_ENUM
};

template <class M>
struct MessageTraits;
#define LODESTONE_TRAITS(name, id, max)                              \
  template <>                                                        \
  struct MessageTraits<name> {                                       \
    static constexpr MessageType type = MessageType::name;           \
    static constexpr std::size_t max_payload = static_cast<std::size_t>(max); \
    static constexpr const char* label = #name;                      \
  };
LODESTONE_MESSAGES(LODESTONE_TRAITS)
#undef LODESTONE_TRAITS

#define LODESTONE_VARIANT_ENTRY(name, id, max) , name
using Message = std::variant<std::monostate LODESTONE_MESSAGES(LODESTONE_VARIANT_ENTRY)>;
#undef LODESTONE_VARIANT_ENTRY

// The message's name for logs and errors ("Hello"), or "unknown" for an id not in the table.
const char* message_name(std::uint16_t type);
// An intent kind in words, as logs and refusals name it ("create sphere").
const char* intent_name(IntentKind kind);
// The largest payload accepted for a type id; 0 for an unknown id.
std::size_t max_payload_for(std::uint16_t type);

}  // namespace lodestone
