#include "core/model_view.h"

#include "lodestone/sphere_geometry.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace lodestone::client {
namespace {

std::string class_name(const SceneState& scene, ClassId id) {
  if (id == kNoClass) return "(erased)";
  for (const auto& c : scene.label_set.classes) {
    if (c.id == id) return c.name;
  }
  return "class #" + std::to_string(id);
}

std::string fixed(float v) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", static_cast<double>(v));
  return text;
}

}  // namespace

SphereContents sphere_contents(const SceneState& scene, const std::vector<Vec3>& positions, Vec3 center, float radius) {
  SphereContents out;
  const auto threshold = confidence_byte(scene.acceptance_threshold);
  std::map<std::size_t, std::size_t> by_class;
  for (auto i : points_inside(positions, center, radius)) {
    ++out.items;
    if (scene.labels.contains(i)) continue;
    ++out.unlabelled;
    if (i >= scene.predictions.size()) continue;
    const auto& p = scene.predictions[i];
    if (p.class_position >= scene.label_set.classes.size()) continue;
    ++by_class[p.class_position];
    out.acceptable += p.confidence >= threshold;
  }
  out.predicted.assign(by_class.begin(), by_class.end());
  std::stable_sort(out.predicted.begin(), out.predicted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::string> describe_sphere(const SceneState& scene, const SphereContents& contents) {
  std::vector<std::string> lines;
  lines.push_back("sphere: " + std::to_string(contents.items) + " items, " + std::to_string(contents.unlabelled) +
                  " unlabelled");
  if (!contents.predicted.empty()) {
    std::string predicted = "predicted:";
    for (std::size_t k = 0; k < contents.predicted.size() && k < 4; ++k) {
      predicted += (k ? ", " : " ") + scene.label_set.classes[contents.predicted[k].first].name + " " +
                   std::to_string(contents.predicted[k].second);
    }
    if (contents.predicted.size() > 4) predicted += ", ...";
    lines.push_back(predicted);
    lines.push_back("accept labels " + std::to_string(contents.acceptable) + " (confidence >= " +
                    fixed(scene.acceptance_threshold) + ")");
  }
  return lines;
}

std::vector<std::string> describe_item(const SceneState& scene, std::uint32_t item, const ItemDetails* details) {
  std::vector<std::string> lines;
  std::string head = "item " + std::to_string(item);
  if (details && details->found) head += " (id " + std::to_string(details->item_id) + "): " + details->source;
  lines.push_back(head);
  if (details && !details->found) lines.push_back(details->error);
  if (details && details->found) {
    if (details->history.empty() || details->history.front().class_id == kNoClass) {
      lines.push_back("unlabelled");
    }
    for (std::size_t k = 0; k < details->history.size() && k < 4; ++k) {
      const auto& a = details->history[k];
      lines.push_back((k == 0 ? "label: " : "  before: ") + class_name(scene, a.class_id) + ", " + a.origin + " by " +
                      a.annotator + " at " + a.at);
    }
    if (details->history.size() > 4) lines.push_back("  and " + std::to_string(details->history.size() - 4) + " earlier");
  } else if (!details) {
    const auto label = scene.labels.find(item);
    lines.push_back(label == scene.labels.end() ? "unlabelled" : "label: " + class_name(scene, label->second));
  }
  if (item < scene.predictions.size() && scene.predictions[item].class_position < scene.label_set.classes.size()) {
    const auto& p = scene.predictions[item];
    lines.push_back("model: " + scene.label_set.classes[p.class_position].name + " at " +
                    fixed(confidence_of(p.confidence)));
  } else {
    lines.push_back("model: no prediction yet");
  }
  return lines;
}

}  // namespace lodestone::client
