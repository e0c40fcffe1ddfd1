#include "annotation/label_store.h"
#include "app/commands.h"
#include "app/csv_rows.h"
#include "app/learning_context.h"
#include "app/server_context.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>

namespace lodestone::server {
namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r");
  const auto last = s.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

// Labels items from a CSV of `item_id,class` rows (class by name; an empty class erases),
// or from what `export --format csv` writes (columns by its header, predicted rows
// skipped), as one annotator, in one transaction: for scripted runs and bulk corrections.
int command_label(const Args& args) {
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

  const auto rows = read_csv_rows(*csv);
  if (!rows) {
    spdlog::error("{}; nothing was stored", rows.error().message);
    return 1;
  }
  // Columns by the header when there is one (what `export --format csv` writes), else
  // item_id then class. Exported rows the model predicted are not a person's labels.
  std::size_t id_column = 0, class_column = 1;
  std::optional<std::size_t> origin_column;
  std::size_t first = 0;
  if (!rows->empty() && !rows->front().fields.empty() && trim(rows->front().fields[0]) == "item_id") {
    const auto& header = rows->front().fields;
    const auto find = [&](const std::string& name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (trim(header[i]) == name) return i;
      }
      return std::nullopt;
    };
    if (!find("class")) {
      spdlog::error("{}:1: the header has no `class` column; nothing was stored", *csv);
      return 1;
    }
    class_column = *find("class");
    origin_column = find("origin");
    first = 1;
  }
  std::vector<annotation::LabelChange> changes;
  std::size_t predicted_rows = 0;
  for (std::size_t r = first; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    if (row.fields.size() == 1 && trim(row.fields[0]).empty()) continue;
    if (row.fields.size() <= std::max(id_column, class_column)) {
      spdlog::error("{}:{}: expected `item_id,class`, got {} field(s); nothing was stored", *csv, row.line,
                    row.fields.size());
      return 1;
    }
    if (origin_column && *origin_column < row.fields.size() && trim(row.fields[*origin_column]) == "predicted") {
      ++predicted_rows;
      continue;
    }
    const std::string id_text = trim(row.fields[id_column]);
    ItemId item = 0;
    try {
      std::size_t used = 0;
      item = std::stoll(id_text, &used);
      if (used != id_text.size()) throw std::invalid_argument(id_text);
    } catch (const std::exception&) {
      spdlog::error("{}:{}: '{}' is not an item id; nothing was stored", *csv, row.line, id_text);
      return 1;
    }
    if (!items.contains(item)) {
      spdlog::error("{}:{}: item {} is not in dataset {}; nothing was stored", *csv, row.line, item,
                    context->dataset.id);
      return 1;
    }
    const std::string name = trim(row.fields[class_column]);
    ClassId class_id = kNoClass;
    if (!name.empty()) {
      const auto it = class_by_name.find(name);
      if (it == class_by_name.end()) {
        spdlog::error("{}:{}: class '{}' is not in the label set; nothing was stored", *csv, row.line, name);
        return 1;
      }
      class_id = it->second;
    }
    changes.push_back({item, class_id});
  }
  if (predicted_rows > 0) spdlog::info("{} row(s) the model predicted were skipped (not a person's labels)", predicted_rows);
  const auto annotator = annotation::ensure_user(db, args.option_or("annotator", "script"));
  const auto written = annotation::write_annotations(db, annotator, std::nullopt, changes);
  spdlog::info("{} annotation(s) written from {} row(s) of {}", written.size(), changes.size(), *csv);
  return 0;
}

}  // namespace lodestone::server
