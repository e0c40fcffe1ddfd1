#pragma once
// What the room's handlers share, on the room thread: the dataset as served, its labels,
// the model's newest output, the snapshot stream, the store, the trainer (only read, or
// handed label changes) and the annotation writer (its own thread; see intent_writer.h).
#include "annotation/label_store.h"
#include "learning/trainer.h"
#include "lodestone/messages.h"
#include "room/clip_service.h"
#include "room/intent_writer.h"
#include "room/prediction_board.h"
#include "room/room_labels.h"
#include "room/snapshot_stream.h"
#include "store/database.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lodestone::room {

// Who may speak in the room (voice_relay.h); everyone may listen.
enum class VoiceSpeakers { Nobody, Leads, Annotators, Everyone };

struct RoomOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 7777;  // 0: any free port (tests)
  double snapshot_rate = 10;  // per second
  double smoothing_seconds = 0.5;
  double hello_timeout_seconds = 5;
  double idle_timeout_seconds = 60;  // nothing received (not even a snapshot ack) for this long
  std::size_t max_peers = 64;
  std::size_t max_intents_per_second = 50;
  // Accepting predictions labels the items whose confidence reaches this (a lead changes
  // it from the console; the stored value wins over this default).
  float acceptance_threshold = 0.9f;
  VoiceSpeakers voice_speakers = VoiceSpeakers::Annotators;  // leads and annotators
  Box room{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
};

// The dataset as the room is given it at start.
struct RoomDataset {
  DatasetDescription description;
  std::vector<ItemId> item_ids;          // by item index
  std::vector<std::uint8_t> thumbnails;  // every item's pixels, by item index
  LabelSet label_set;
  std::vector<int> labels;               // class position per item (-1: unlabelled)
  std::vector<UserId> labelled_by;       // last annotator per item
  std::vector<annotation::LabelOrigin> origins;  // where each standing label came from
  std::vector<int> truth;                // ground-truth class position per item (-1: none), for calibration only
  // A sound dataset (description.sample_rate set): the folder its recordings were imported
  // from, where the clips are cut.
  std::filesystem::path sound_folder;
};

struct RoomCounters {
  std::size_t snapshots_sent = 0;
  std::size_t bytes_sent = 0;
  std::size_t annotations_acknowledged = 0;
  std::size_t labelling_acts = 0;  // labels and acceptances acknowledged (the gestures that label)
  std::size_t malformed_packets = 0;
};

// What the room measured over the last second, for the status message.
struct RoomRates {
  double snapshots_per_client = 0;
  double bytes_out = 0;
};

struct RoomState {
  RoomState(RoomOptions options, store::Database& db, RoomDataset dataset, learning::Trainer& trainer);

  // The positions clients are shown right now, as a shared copy that label intents carry
  // to the writer: one copy per snapshot tick at most (`shown` is reset when they move).
  std::shared_ptr<const std::vector<Vec3>> shown_positions();
  std::uint32_t index_of(ItemId item) const { return index_.at(item); }

  RoomOptions options;
  store::Database& db;
  DatasetDescription description;
  std::vector<ItemId> item_ids;
  std::vector<std::uint8_t> thumbnails;
  RoomLabels labels;
  learning::Trainer& trainer;
  SnapshotStream stream;
  PredictionBoard predictions;
  // The model's newest verdict per item (shares the trainer's published embedding): what
  // accepting predictions labels with.
  std::shared_ptr<const std::vector<learning::Prediction>> model_predictions;
  std::shared_ptr<const std::vector<Vec3>> shown;
  // The training figures of the last hour, one a second (time sent, figures): a console
  // joining gets them, so its charts begin before it connected.
  std::deque<std::pair<std::chrono::steady_clock::time_point, TrainingStatus>> training_history;
  RoomCounters counters;
  RoomRates rates;
  std::chrono::steady_clock::time_point started;
  std::filesystem::path sound_folder;
  std::unique_ptr<ClipService> clips;    // sound datasets only
  std::set<UserId> muted_voices;         // muted by a lead, until the room ends
  std::unique_ptr<IntentWriter> writer;  // last: it refers to item_ids

 private:
  std::map<ItemId, std::uint32_t> index_;
};

}  // namespace lodestone::room
