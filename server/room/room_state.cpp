#include "room/room_state.h"

#include "annotation/room_settings.h"
#include "lodestone/hash.h"

#include <spdlog/spdlog.h>

namespace lodestone::room {

RoomState::RoomState(RoomOptions options_in, store::Database& db_in, RoomDataset dataset, learning::Trainer& trainer_in)
    : options(std::move(options_in)),
      db(db_in),
      description(std::move(dataset.description)),
      item_ids(std::move(dataset.item_ids)),
      thumbnails(std::move(dataset.thumbnails)),
      labels(std::move(dataset.label_set), dataset.labels, std::move(dataset.labelled_by), std::move(dataset.origins),
             std::move(dataset.truth)),
      trainer(trainer_in),
      stream(options.room, options.smoothing_seconds, 1.0 / options.snapshot_rate),
      predictions(options.acceptance_threshold),
      started(std::chrono::steady_clock::now()),
      sound_folder(std::move(dataset.sound_folder)) {
  description.room = options.room;
  description.thumbnails_hash = hash64(std::as_bytes(std::span(thumbnails)));
  description.thumbnails_bytes = thumbnails.size();
  for (std::size_t i = 0; i < item_ids.size(); ++i) index_[item_ids[i]] = static_cast<std::uint32_t>(i);
  try {
    if (const auto stored = annotation::read_room_setting(db, "acceptance_threshold")) {
      predictions.set_threshold(std::stof(*stored));
    }
  } catch (const std::exception& e) {
    spdlog::warn("the stored acceptance threshold cannot be read ({}); using {:.2f}", e.what(), predictions.threshold());
  }
  if (description.is_sound()) clips = std::make_unique<ClipService>();
  writer = std::make_unique<IntentWriter>(db.open_another(), description.dataset_id, item_ids, options.room);
}

std::shared_ptr<const std::vector<Vec3>> RoomState::shown_positions() {
  if (!shown) shown = std::make_shared<const std::vector<Vec3>>(stream.display());
  return shown;
}

}  // namespace lodestone::room
