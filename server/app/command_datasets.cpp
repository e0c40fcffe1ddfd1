#include "app/commands.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"
#include "store/migrations.h"

#include <cstdio>

namespace lodestone::server {

int command_datasets(const Args& args) {
  auto db = open_store(resolve_data_dir(args.option("data-dir")));
  const auto all = dataset::list_datasets(db);
  if (all.empty()) {
    std::printf("no datasets yet: import one with `lodestone-server import ...`\n");
    return 0;
  }
  std::printf("%-4s %-20s %-13s %8s %-9s %12s  %s\n", "id", "name", "format", "items", "shape",
              "ground truth", "imported");
  for (const auto& d : all) {
    const std::string shape = std::to_string(d.width) + "x" + std::to_string(d.height) + "x" +
                              std::to_string(d.channels);
    std::printf("%-4lld %-20s %-13s %8zu %-9s %12zu  %s\n", static_cast<long long>(d.id),
                d.name.c_str(), d.source_kind.c_str(), d.item_count, shape.c_str(),
                d.ground_truth_count, d.created_at.c_str());
    if (d.sample_rate > 0) {
      std::printf("     sound: %zu recording(s), %.1f minutes at %d Hz, %zu windows\n", d.recordings,
                  d.audio_seconds / 60.0, d.sample_rate, d.item_count);
    }
  }
  return 0;
}

int command_migrate(const Args& args) {
  auto db = open_store(resolve_data_dir(args.option("data-dir")));
  std::printf("database %s is at schema version %d\n", db.path().c_str(), store::schema_version(db));
  return 0;
}

}  // namespace lodestone::server
