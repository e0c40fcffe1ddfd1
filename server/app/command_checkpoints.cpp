#include "app/commands.h"
#include "app/server_context.h"
#include "dataset/dataset_store.h"
#include "learning/checkpoint_store.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace lodestone::server {
namespace {

std::string figure(double v) { return std::isnan(v) ? "-" : fmt::format("{:.3f}", v); }

}  // namespace

// checkpoints [list] | restore ID: a restored checkpoint is copied as the newest, so the
// next `serve` resumes from it (and retention never deletes it from under another row).
int command_checkpoints(const Args& args) {
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  auto db = open_store(data_dir);
  const auto& pos = args.positionals();
  const std::string action = pos.size() > 1 ? pos[1] : "list";
  if (action == "restore") {
    if (pos.size() < 3) throw UsageError("checkpoints restore needs a checkpoint id");
    const auto source = learning::find_checkpoint(db, std::stoll(pos[2]));
    if (!source) {
      spdlog::error("checkpoint {} does not exist", pos[2]);
      return 1;
    }
    const auto folder = learning::checkpoint_folder(source->dataset_id, source->step);
    std::filesystem::copy(data_dir / source->path, data_dir / folder,
                          std::filesystem::copy_options::recursive);
    const auto id = learning::record_checkpoint(db, source->dataset_id, folder, source->step, source->metrics);
    db.prepare("INSERT INTO audit_log (action, detail) VALUES ('checkpoint.restore', ?)")
        .bind(1, "checkpoint " + pos[2] + " restored as " + std::to_string(id))
        .run();
    spdlog::info("checkpoint {} restored as checkpoint {}; the server resumes from it at its next start",
                 source->id, id);
    return 0;
  }
  if (action != "list") throw UsageError("unknown checkpoints action '" + action + "' (list, restore)");
  std::printf("%-5s %-8s %-8s %-9s %-8s %-8s %-9s %-9s %-7s %s\n", "id", "dataset", "step", "labelled",
              "recon", "class", "acc lab", "acc unl", "5-NN", "created");
  for (const auto& d : dataset::list_datasets(db)) {
    if (args.option("dataset") && std::to_string(d.id) != *args.option("dataset")) continue;
    for (const auto& c : learning::list_checkpoints(db, d.id)) {
      std::printf("%-5lld %-8lld %-8llu %-9zu %-8.2f %-8.3f %-9s %-9s %-7s %s\n",
                  static_cast<long long>(c.id), static_cast<long long>(c.dataset_id),
                  static_cast<unsigned long long>(c.step), c.labelled_count,
                  static_cast<double>(c.metrics.losses.reconstruction),
                  static_cast<double>(c.metrics.losses.classifier), figure(c.metrics.labelled_accuracy).c_str(),
                  figure(c.metrics.unlabelled_accuracy).c_str(), figure(c.metrics.knn_accuracy).c_str(),
                  c.created_at.c_str());
    }
  }
  return 0;
}

}  // namespace lodestone::server
