#include "annotation/label_store.h"
#include "app/commands.h"
#include "app/learning_context.h"
#include "app/server_context.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <set>

namespace lodestone::server {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\"");
  const auto last = s.find_last_not_of(" \t\r\"");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

// Labels items from a CSV of `item_id,class` rows (class by name; an empty class erases),
// as one annotator, in one transaction: for scripted runs and bulk corrections.
int command_label(const Args& args) {
  args.reject_unknown({"data-dir", "dataset", "csv", "annotator"});
  const auto csv = args.option("csv");
  if (!csv) throw UsageError("label needs --csv FILE (rows: item_id,class)");
  const auto data_dir = resolve_data_dir(args.option("data-dir"));
  // A running room keeps its labels (and its trainer's) in memory: it would never see these.
  const ServeLock lock(data_dir);
  if (!lock.held()) {
    spdlog::error("a server is running on {}: it would not see labels written beside it; label through the room "
                  "(a client or the console) or stop the server first",
                  data_dir.string());
    return 1;
  }
  auto db = open_store(data_dir);
  const auto context = load_learning_context(db, args);
  if (!context) return 1;

  std::map<std::string, ClassId> class_by_name;
  for (const auto& c : context->label_set.classes) class_by_name[c.name] = c.id;
  const std::set<ItemId> items(context->items.item_ids.begin(), context->items.item_ids.end());

  std::ifstream in(*csv);
  if (!in) {
    spdlog::error("cannot open {}", *csv);
    return 1;
  }
  std::vector<annotation::LabelChange> changes;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    const auto comma = line.find(',');
    const std::string id_text = trim(line.substr(0, comma));
    if (line_number == 1 && id_text == "item_id") continue;  // header
    if (comma == std::string::npos) {
      spdlog::error("{}:{}: expected `item_id,class`, got '{}'; nothing was stored", *csv, line_number, line);
      return 1;
    }
    ItemId item = 0;
    try {
      std::size_t used = 0;
      item = std::stoll(id_text, &used);
      if (used != id_text.size()) throw std::invalid_argument(id_text);
    } catch (const std::exception&) {
      spdlog::error("{}:{}: '{}' is not an item id; nothing was stored", *csv, line_number, id_text);
      return 1;
    }
    if (!items.contains(item)) {
      spdlog::error("{}:{}: item {} is not in dataset {}; nothing was stored", *csv, line_number, item,
                    context->dataset.id);
      return 1;
    }
    const std::string name = trim(line.substr(comma + 1));
    ClassId class_id = kNoClass;
    if (!name.empty()) {
      const auto it = class_by_name.find(name);
      if (it == class_by_name.end()) {
        spdlog::error("{}:{}: class '{}' is not in the label set; nothing was stored", *csv, line_number, name);
        return 1;
      }
      class_id = it->second;
    }
    changes.push_back({item, class_id});
  }
  const auto annotator = annotation::ensure_user(db, args.option_or("annotator", "script"));
  const auto written = annotation::write_annotations(db, annotator, std::nullopt, changes);
  spdlog::info("{} annotation(s) written from {} row(s) of {}", written.size(), changes.size(), *csv);
  return 0;
}

}  // namespace lodestone::server
