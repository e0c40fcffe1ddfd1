#include "learning/learner.h"

#include "learning/fresh_targets.h"
#include "learning/neighbour_search.h"
#include "learning/training_group.h"
#include "learning/vae_model.h"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cmath>
#include <fstream>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace lodestone::learning {
namespace {

namespace F = torch::nn::functional;
namespace nn = torch::nn;

constexpr std::int64_t kEmbedChunk = 4096;

// Gives a classifier's output layer one row per new class: row i takes old row
// old_of_new[i] (-1: a new class, freshly initialised). Adam's moments belong to the old
// shapes: those two parameters start afresh.
void remap_output_rows(nn::Linear& output, std::span<const int> old_of_new, torch::optim::Adam& optimizer) {
  const auto new_count = static_cast<std::int64_t>(old_of_new.size());
  nn::Linear fresh(output->weight.size(1), std::max<std::int64_t>(new_count, 1));
  for (std::int64_t i = 0; i < new_count; ++i) {
    const int old = old_of_new[static_cast<std::size_t>(i)];
    if (old < 0 || old >= output->weight.size(0)) continue;
    fresh->weight[i].copy_(output->weight[old]);
    fresh->bias[i].copy_(output->bias[old]);
  }
  optimizer.state().erase(c10::guts::to_string(output->weight.unsafeGetTensorImpl()));
  optimizer.state().erase(c10::guts::to_string(output->bias.unsafeGetTensorImpl()));
  output->weight.set_data(fresh->weight.detach().clone());
  output->bias.set_data(fresh->bias.detach().clone());
}

}  // namespace

struct Learner::State {
  ModelConfig config;
  Vae model;
  torch::optim::Adam optimizer;
  // N × C × H × W bytes, as stored: a quarter of the memory of floats (at a million 28×28
  // items 0.8 GB, not 3.1), made [0, 1] floats a batch or a chunk at a time (pixels()).
  torch::Tensor images;
  std::vector<std::int64_t> labelled_items;
  std::vector<std::int64_t> labelled_classes;
  // The labelled items a batch draws from: all of them, less those whose labelled
  // neighbours contradict their label (label_propagation.h, contested_labels).
  std::vector<std::int64_t> trusted_items;
  std::vector<std::int64_t> trusted_classes;
  std::mt19937_64 rng;
  at::Generator noise;  // this learner's own stream: runs reproduce whatever else uses torch
  std::uint64_t step = 0;
  std::uint64_t generation = 0;  // see model_generation()
  std::shared_ptr<TrainingGroup> group;  // null: training alone

  // Label propagation: the graph, when it was built, and each item's propagated class
  // (-1: none) and weight.
  std::optional<NeighbourGraph> graph;
  std::uint64_t graph_step = 0;
  bool propagation_stale = true;
  std::vector<int> labels;      // one per item, kUnlabelled for none
  std::vector<int> propagated;  // one per item, as last propagated
  std::vector<float> scores;    // the last solution on this graph: the next one starts there
  std::uint64_t propagation_step = 0;
  torch::Tensor propagated_class, propagated_weight;  // N (long), N (float; 0 where none)
  // What each item trains towards: the propagated class, or a doubted item's verdict.
  torch::Tensor target_class, target_weight;
  std::vector<std::uint8_t> contested;  // as of the last propagation, one per item (1: contested)
  // Items whose label or propagated class changed since take_touched() last asked: the
  // ones about to move, which the room refreshes first.
  std::vector<std::size_t> touched;
  std::vector<std::uint8_t> is_touched;
  FreshTargets fresh_targets;

  void touch(std::size_t item) {
    if (is_touched.size() <= item) is_touched.resize(static_cast<std::size_t>(images.size(0)), 0);
    if (is_touched[item]) return;
    is_touched[item] = 1;
    touched.push_back(item);
  }
  int skipped_in_a_row = 0;

  // Doubt (model_config.h): the step each item's current label arrived, and for each
  // doubted labelled item the feature classifier's verdict (kUnlabelled: not doubted).
  std::vector<std::uint64_t> labelled_since;
  std::vector<int> verdict;
  std::uint64_t doubt_step = 0;
  torch::Tensor is_unlabelled;  // N (bool)

  State(const ModelConfig& c, torch::Tensor imgs)
      : config(c),
        model(c),
        optimizer(model->parameters(), torch::optim::AdamOptions(c.learning_rate)),
        images(std::move(imgs)),
        rng(c.seed),
        noise(at::detail::createCPUGenerator(c.seed)),
        fresh_targets(static_cast<std::uint64_t>(std::max(c.fresh_target_steps, 0))) {}

  // Large images are compared at 32 pixels a side at most (an average over each block):
  // what tells classes apart survives, and the graph's cost stays that of a thumbnail.
  static torch::Tensor at_most_32_pixels(const torch::Tensor& batch) {
    const auto h = batch.size(2), w = batch.size(3);
    if (std::max(h, w) <= 32) return batch;
    const double scale = 32.0 / static_cast<double>(std::max(h, w));
    return F::adaptive_avg_pool2d(batch, F::AdaptiveAvgPool2dFuncOptions(
        {std::max<std::int64_t>(1, std::lround(static_cast<double>(h) * scale)),
         std::max<std::int64_t>(1, std::lround(static_cast<double>(w) * scale))}));
  }

  // A light Gaussian blur (σ of one pixel per 28): distances between blurred images
  // forgive the small shifts and stroke-width changes that raw pixel distances punish
  // (Poisson learning on MNIST, 10 labels per class: 0.90 on PCA of raw pixels, 0.91 blurred).
  torch::Tensor blurred(const torch::Tensor& batch) const {
    const double sigma = static_cast<double>(std::max(batch.size(2), batch.size(3))) / 28.0;
    const int radius = std::max(1, static_cast<int>(std::lround(3 * sigma)));
    auto taps = torch::arange(-radius, radius + 1, torch::kFloat);
    taps = torch::exp(-taps.pow(2) / (2 * sigma * sigma));
    taps = taps / taps.sum();
    const auto channels = batch.size(1);
    const auto horizontal = taps.view({1, 1, 1, -1}).repeat({channels, 1, 1, 1});
    const auto vertical = taps.view({1, 1, -1, 1}).repeat({channels, 1, 1, 1});
    auto x = F::conv2d(batch, horizontal, F::Conv2dFuncOptions().padding({0, radius}).groups(channels));
    return F::conv2d(x, vertical, F::Conv2dFuncOptions().padding({radius, 0}).groups(channels));
  }

  // Each image's channels to zero mean and unit spread: distances then compare shapes,
  // not the background's colour or the contrast (generated letters on random colours,
  // 10 labels per class: 0.21 of the propagated labels right without, 0.62 with; MNIST
  // 0.914 → 0.92).
  static torch::Tensor standardised(const torch::Tensor& batch) {
    const auto mean = batch.mean({2, 3}, /*keepdim=*/true);
    const auto spread = batch.std({2, 3}, /*unbiased=*/false, /*keepdim=*/true) + 1e-3;
    return (batch - mean) / spread;
  }

  static torch::Tensor pixels(const torch::Tensor& bytes) { return bytes.to(torch::kFloat32).div_(255.0f); }

  // The pixel graph's features: leading principal components of the prepared pixels,
  // prepared a chunk at a time (every step is per image): a convolution over a million
  // images at once asked for 50 GB (oneDNN pads the one channel to sixteen).
  torch::Tensor pixel_features() {
    std::vector<torch::Tensor> prepared;
    for (std::int64_t at = 0; at < images.size(0); at += kEmbedChunk) {
      const auto chunk = pixels(images.slice(0, at, std::min(at + kEmbedChunk, images.size(0))));
      prepared.push_back(standardised(blurred(at_most_32_pixels(chunk))).flatten(1));
    }
    return principal_components(torch::cat(prepared), config.graph_pixel_components);
  }

  void install_graph(NeighbourGraph built) {
    graph = std::move(built);
    scores.clear();
    graph_step = step;
    propagation_stale = true;
  }

  // The graph on the encoder's hidden features (graph_rebuild_steps > 0; off by default).
  void rebuild_learned_graph() {
    c10::InferenceMode inference;
    model->eval();
    std::vector<torch::Tensor> parts;
    for (std::int64_t at = 0; at < images.size(0); at += kEmbedChunk) {
      parts.push_back(model->encoder->features(pixels(images.slice(0, at, std::min(at + kEmbedChunk, images.size(0))))));
    }
    model->train();
    install_graph(build_graph(nearest_neighbours(torch::cat(parts), config.graph_neighbours)));
  }

  // The pixel graph: built here for small datasets (under a second at 10k items), on a
  // thread of its own above kSynchronousGraphItems (about 20 s at 70k on two cores), while
  // training goes on and the labelled items teach the model alone.
  static constexpr std::int64_t kSynchronousGraphItems = 20'000;
  std::future<NeighbourGraph> graph_in_progress;
  std::chrono::steady_clock::time_point graph_started;
  bool graph_failed = false;

  void start_pixel_graph() {
    graph_started = std::chrono::steady_clock::now();
    c10::InferenceMode inference;
    auto features = pixel_features();
    const int k = config.graph_neighbours;
    if (images.size(0) <= kSynchronousGraphItems) {
      install_graph(build_graph(nearest_neighbours(features, k)));
      report_graph_built();
      return;
    }
    spdlog::info("label propagation: building the {}-NN graph of {} items in the background; until it is ready "
                 "the model learns from the labelled items alone", k, images.size(0));
    graph_in_progress = std::async(std::launch::async, [features = std::move(features), k] {
      c10::InferenceMode background_inference;
      return build_graph(nearest_neighbours(features, k));
    });
  }

  void report_graph_built() const {
    spdlog::info("label propagation: {}-NN graph of {} items built in {:.1f} s", config.graph_neighbours,
                 images.size(0), std::chrono::duration<double>(std::chrono::steady_clock::now() - graph_started).count());
  }

  // Whether a graph is there to propagate on, installing one the background finished.
  bool graph_ready() {
    if (graph) return true;
    if (graph_failed) return false;
    if (!graph_in_progress.valid()) start_pixel_graph();
    if (graph) return true;
    if (graph_in_progress.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
    try {
      install_graph(graph_in_progress.get());
      report_graph_built();
    } catch (const std::exception& e) {
      graph_failed = true;
      spdlog::error("label propagation: the neighbour graph could not be built ({}); the model learns from the "
                    "labelled items alone", e.what());
      return false;
    }
    return true;
  }

  void propagate() {
    propagation_stale = false;
    if (labelled_items.empty() || config.propagated_weight <= 0) {
      propagated.clear();
      propagated_class = propagated_weight = target_class = target_weight = torch::Tensor();
      trusted_items = labelled_items;
      trusted_classes = labelled_classes;
      return;
    }
    if (!graph_ready()) {
      propagation_stale = true;  // again at the next step
      return;
    }
    // After a change of labels on the same graph, the last solution is nearly right: a
    // quarter of the iterations from there costs a quarter and lands as close.
    const bool warm = scores.size() == graph->items() * static_cast<std::size_t>(config.num_classes);
    const int iterations = warm ? std::max(1, config.propagation_iterations / 4) : config.propagation_iterations;
    auto result = propagate_labels(*graph, labels, config.num_classes, iterations,
                                   warm ? std::span<const float>(scores) : std::span<const float>());
    scores = std::move(result.scores);
    propagation_step = step;
    report_propagation(result);
    const auto n = static_cast<std::int64_t>(result.class_index.size());
    propagated_class = torch::empty({n}, torch::kLong);
    propagated_weight = torch::empty({n});
    auto cls = propagated_class.accessor<std::int64_t, 1>();
    auto weight = propagated_weight.accessor<float, 1>();
    for (std::int64_t i = 0; i < n; ++i) {
      const int c = result.class_index[static_cast<std::size_t>(i)];
      cls[i] = std::max(c, 0);
      weight[i] = c < 0 ? 0.0f : result.weight[static_cast<std::size_t>(i)];
    }
    for (std::size_t i = 0; i < result.class_index.size(); ++i) {
      if (i >= propagated.size() || propagated[i] != result.class_index[i]) {
        touch(i);
        // Not at the first propagation: then every item is new, and a uniform draw is as good.
        if (!propagated.empty()) fresh_targets.changed(step, static_cast<std::int64_t>(i));
      }
    }
    propagated = result.class_index;
    contested = std::move(result.contested);
    choose_trusted();
  }

  // The labelled items a batch learns from: all, less the contested and the doubted. A
  // doubted item trains towards the feature classifier's verdict instead of its label.
  // The targets start from the propagation's result each time, so an item no longer
  // doubted trains towards its propagated class again.
  void choose_trusted() {
    trusted_items.clear();
    trusted_classes.clear();
    if (propagated_class.defined()) {
      target_class = propagated_class.clone();
      target_weight = propagated_weight.clone();
    }
    for (std::size_t k = 0; k < labelled_items.size(); ++k) {
      const auto item = static_cast<std::size_t>(labelled_items[k]);
      if (item < contested.size() && contested[item]) continue;
      if (verdict[item] != kUnlabelled) {
        if (target_class.defined()) {
          target_class[labelled_items[k]] = verdict[item];
          target_weight[labelled_items[k]] = 1.0f;
        }
        continue;
      }
      trusted_items.push_back(labelled_items[k]);
      trusted_classes.push_back(labelled_classes[k]);
    }
  }

  // Every doubt_every_steps: the feature classifier judges each labelled item it has
  // trained on for doubt_after_steps. Spheres sweep up a few items of another class where
  // classes touch; the network learns the many consistent labels before it memorises the
  // few that contradict them, so a label it still finds unlikely is most often wrong
  // (loop_bench, 2 oracle bots: 3.3% of their labels wrong; docs/LEARNING.md).
  void judge_labels() {
    doubt_step = step;
    if (config.doubt_every_steps <= 0 || labelled_items.empty()) return;
    c10::InferenceMode inference;
    model->eval();
    std::vector<int> judged(labels.size(), kUnlabelled);
    const auto n = static_cast<std::int64_t>(labelled_items.size());
    const auto all = torch::from_blob(labelled_items.data(), {n}, torch::kLong);
    for (std::int64_t at = 0; at < n; at += kEmbedChunk) {
      const auto stop = std::min<std::int64_t>(at + kEmbedChunk, n);
      const auto chunk = pixels(images.index_select(0, all.slice(0, at, stop)));
      const auto p = verdicts(model->encoder->features(chunk));
      const auto [best_p, best] = p.max(1);
      const auto pa = p.accessor<float, 2>();
      const auto ba = best.accessor<std::int64_t, 1>();
      for (std::int64_t k = at; k < stop; ++k) {
        const auto item = static_cast<std::size_t>(labelled_items[static_cast<std::size_t>(k)]);
        if (step - labelled_since[item] < static_cast<std::uint64_t>(config.doubt_after_steps)) continue;
        if (pa[k - at][labelled_classes[static_cast<std::size_t>(k)]] < config.doubt_below) {
          judged[item] = static_cast<int>(ba[k - at]);
        }
      }
    }
    model->train();
    const auto before = doubted();
    verdict = std::move(judged);
    choose_trusted();
    const auto now = doubted();
    if (now != before) spdlog::debug("training: {} of {} labelled items doubted", now, labelled_items.size());
  }

  // The feature classifier's class probabilities for encoder features.
  torch::Tensor verdicts(const torch::Tensor& features) { return torch::softmax(model->feature_classifier(features), 1); }

  // Every parameter's gradient (zeros where a step left none, so every rank exchanges
  // the same tensors), averaged over the group; false when the group was lost.
  bool average_gradients() {
    std::vector<torch::Tensor> gradients;
    for (auto& p : model->parameters()) {
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      gradients.push_back(p.grad());
    }
    return in_group_or_leave([&] { group->average(gradients); });
  }

  // Runs an exchange with the group; a failure ends the group, and training goes on alone.
  template <class Exchange>
  bool in_group_or_leave(Exchange&& exchange) {
    try {
      exchange();
      return true;
    } catch (const std::exception& e) {
      spdlog::error("training group: rank {} lost the others at step {} ({}){}", group->rank(), step,
                    first_line(e), group->rank() == 0 ? "; training goes on alone" : "");
      group.reset();
      return false;
    }
  }

  // Appends the latent means and verdicts of a batch of images to `out`.
  void infer_into(const torch::Tensor& batch, ModelOutput& out) {
    const auto features = model->encoder->features(batch);
    const auto mean = model->encoder->mean(features).contiguous();
    const auto [confidence, index] = verdicts(features).max(1);
    const auto m = mean.accessor<float, 2>();
    const auto conf = confidence.accessor<float, 1>();
    const auto idx = index.accessor<std::int64_t, 1>();
    for (std::int64_t i = 0; i < mean.size(0); ++i) {
      out.latent.push_back({m[i][0], m[i][1], m[i][2]});
      out.predictions.push_back({static_cast<int>(idx[i]), conf[i]});
    }
  }

  std::size_t doubted() const {
    return static_cast<std::size_t>(std::count_if(verdict.begin(), verdict.end(), [](int v) { return v != kUnlabelled; }));
  }

  // Says once, and again when it changes, where propagation cannot help: one class
  // labelled (nothing to tell apart), or items no label reaches (identical images, or a
  // part of the data unconnected to any labelled item).
  std::string last_report;
  void report_propagation(const PropagatedLabels& result) {
    std::set<int> classes(labelled_classes.begin(), labelled_classes.end());
    const auto reached = static_cast<std::size_t>(
        std::count_if(result.class_index.begin(), result.class_index.end(), [](int c) { return c >= 0; }));
    std::string report;
    if (classes.size() < 2) {
      report = "label propagation: only one class has labels, so there is nothing to tell apart; the model "
               "learns from the labelled items alone until a second class is labelled";
    } else if (reached < result.class_index.size()) {
      report = "label propagation: " + std::to_string(result.class_index.size() - reached) + " of " +
               std::to_string(result.class_index.size()) +
               " items are not told apart by any label (identical images, or unconnected to every labelled one)";
    }
    if (!report.empty() && report != last_report) spdlog::info("{}", report);
    last_report = report;
  }

  // Before a step: the graph is rebuilt on learned features on schedule, and the labels
  // propagated again whenever they or the graph changed.
  void refresh_propagation() {
    // A large dataset's graph starts at the first step, labels or not, so it is likely
    // ready by the first label.
    if (images.size(0) > kSynchronousGraphItems && config.propagated_weight > 0) graph_ready();
    if (labelled_items.empty() || config.propagated_weight <= 0) {
      if (propagation_stale) propagate();
      return;
    }
    const auto every = static_cast<std::uint64_t>(std::max(config.graph_rebuild_steps, 0));
    if (every > 0 && step >= every && step - graph_step >= every) rebuild_learned_graph();
    // Labels arrive in bursts while a room is live: propagate at most every ten steps.
    // (Waiting for a pause in the labels instead starved it: two bots label faster than
    // that pause.)
    if (propagation_stale && (propagated.empty() || step - propagation_step >= 10)) propagate();
    const auto judge_every = static_cast<std::uint64_t>(std::max(config.doubt_every_steps, 0));
    if (judge_every > 0 && step - doubt_step >= judge_every) judge_labels();
  }

  torch::Tensor sample_indices(std::int64_t count, std::int64_t bound) {
    std::uniform_int_distribution<std::int64_t> pick(0, bound - 1);
    auto t = torch::empty({count}, torch::kLong);
    auto a = t.accessor<std::int64_t, 1>();
    for (std::int64_t i = 0; i < count; ++i) a[i] = pick(rng);
    return t;
  }

  // Part of every batch comes from the items whose target changed in the last steps
  // (fresh_targets.h): what a new label changed is learned within a few dozen steps.
  void draw_fresh_targets(torch::Tensor& batch_items) {
    fresh_targets.age_to(step);
    if (fresh_targets.empty() || config.fresh_target_share <= 0) return;
    const auto count = static_cast<std::int64_t>(config.fresh_target_share * static_cast<float>(batch_items.size(0)));
    auto a = batch_items.accessor<std::int64_t, 1>();
    for (std::int64_t i = 0; i < count; ++i) a[i] = fresh_targets.draw(rng);
  }

  // Draws `count` positions in trusted_items class by class: each labelled class as often
  // as the others, however unevenly they were labelled (people label the easy classes
  // first, and accepting predictions labels thousands of one class in one gesture; drawn
  // item by item, the classifier would learn that nearly everything is that class).
  torch::Tensor sample_trusted(std::int64_t count) {
    std::vector<std::vector<std::int64_t>> by_class(static_cast<std::size_t>(std::max(config.num_classes, 1)));
    for (std::size_t k = 0; k < trusted_classes.size(); ++k) {
      const auto c = static_cast<std::size_t>(trusted_classes[k]);
      if (c < by_class.size()) by_class[c].push_back(static_cast<std::int64_t>(k));
    }
    std::erase_if(by_class, [](const auto& members) { return members.empty(); });
    auto t = torch::empty({count}, torch::kLong);
    auto a = t.accessor<std::int64_t, 1>();
    std::uniform_int_distribution<std::size_t> pick_class(0, by_class.size() - 1);
    for (std::int64_t i = 0; i < count; ++i) {
      const auto& members = by_class[pick_class(rng)];
      a[i] = members[std::uniform_int_distribution<std::size_t>(0, members.size() - 1)(rng)];
    }
    return t;
  }

  // Random translation of each image by up to max_shift pixels (zero padding): the
  // encoder learns that a digit moved by a pixel is the same digit.
  torch::Tensor shifted(const torch::Tensor& batch) {
    const int s = config.max_shift_pixels;
    if (s <= 0) return batch;
    const auto padded = F::pad(batch, F::PadFuncOptions({s, s, s, s}));
    std::uniform_int_distribution<std::int64_t> offset(0, 2 * s);
    std::vector<torch::Tensor> views;
    views.reserve(static_cast<std::size_t>(batch.size(0)));
    for (std::int64_t i = 0; i < batch.size(0); ++i) {
      const auto dy = offset(rng), dx = offset(rng);
      views.push_back(padded[i]
                          .slice(/*dim=*/1, dy, dy + config.height)
                          .slice(/*dim=*/2, dx, dx + config.width));
    }
    return torch::stack(views);
  }
};

Learner::Learner(const ModelConfig& config, std::span<const std::uint8_t> pixels,
                 std::size_t item_count) {
  const std::size_t per_item = static_cast<std::size_t>(config.width * config.height * config.channels);
  if (pixels.size() != per_item * item_count) {
    throw std::invalid_argument("learner: " + std::to_string(pixels.size()) +
                                " pixel bytes do not make " + std::to_string(item_count) +
                                " items of " + std::to_string(per_item));
  }
  torch::set_num_threads(config.threads);
  // Every step allocates and frees multi-megabyte activations. With glibc's default
  // mmap threshold each of them is a fresh mmap and page-faults anew, which made the
  // first few hundred steps three times slower; keep them on the heap instead.
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1024 << 20);
  torch::manual_seed(config.seed);
  // Stored thumbnails are H × W × C (interleaved); the network wants C × H × W.
  auto bytes = torch::from_blob(const_cast<std::uint8_t*>(pixels.data()),
                                {static_cast<std::int64_t>(item_count), config.height,
                                 config.width, config.channels},
                                torch::kUInt8);
  // A copy of its own (for one channel the permutation is only a view of the caller's bytes).
  auto images = bytes.permute({0, 3, 1, 2}).clone(at::MemoryFormat::Contiguous);
  state_ = std::make_unique<State>(config, std::move(images));
}

Learner::~Learner() = default;

void Learner::set_labels(std::span<const int> labels) {
  if (labels.size() != item_count()) throw std::invalid_argument("learner: one label per item expected");
  state_->labelled_items.clear();
  state_->labelled_classes.clear();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == kUnlabelled) continue;
    if (labels[i] < 0 || labels[i] >= state_->config.num_classes) {
      throw std::invalid_argument("learner: class index " + std::to_string(labels[i]) +
                                  " outside 0.." + std::to_string(state_->config.num_classes - 1));
    }
    state_->labelled_items.push_back(static_cast<std::int64_t>(i));
    state_->labelled_classes.push_back(labels[i]);
  }
  auto& s = *state_;
  // A label that changed is judged afresh, once the model has trained on it a while.
  s.labelled_since.resize(labels.size(), 0);
  s.verdict.resize(labels.size(), kUnlabelled);
  const bool had_labels = s.labels.size() == labels.size();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (had_labels && s.labels[i] == labels[i]) continue;
    if (had_labels || labels[i] != kUnlabelled) s.touch(i);
    s.labelled_since[i] = s.step;
    s.verdict[i] = kUnlabelled;
  }
  s.labels.assign(labels.begin(), labels.end());
  s.is_unlabelled = torch::empty({static_cast<std::int64_t>(labels.size())}, torch::kBool);
  auto unlabelled = s.is_unlabelled.accessor<bool, 1>();
  for (std::size_t i = 0; i < labels.size(); ++i) unlabelled[static_cast<std::int64_t>(i)] = labels[i] == kUnlabelled;
  s.choose_trusted();
  s.propagation_stale = true;
}

std::vector<int> Learner::propagated_classes() const { return state_->propagated; }

std::size_t Learner::labelled_count() const { return state_->labelled_items.size(); }

StepLosses Learner::train(int steps) {
  auto& s = *state_;
  const auto& c = s.config;
  s.model->train();
  const auto n = s.images.size(0);

  StepLosses total;
  int finite_steps = 0;
  for (int step = 0; step < steps; ++step) {
    s.refresh_propagation();
    auto batch_items = s.sample_indices(c.batch_size, n);
    s.draw_fresh_targets(batch_items);
    const auto batch = State::pixels(s.images.index_select(0, batch_items));
    const auto batch_features = s.model->encoder->features(batch);
    const auto mean = s.model->encoder->mean(batch_features);
    const auto log_variance = s.model->encoder->log_variance(batch_features);
    const auto z = mean + at::randn(mean.sizes(), s.noise, mean.options()) * torch::exp(0.5 * log_variance);
    const auto logits = s.model->decoder(z);
    const auto reconstruction =
        F::binary_cross_entropy_with_logits(logits, batch.flatten(1),
                                            F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum)) /
        c.batch_size;
    const auto kl = -0.5 * torch::sum(1 + log_variance - mean.pow(2) - log_variance.exp()) / c.batch_size;
    const float warmup = c.kl_warmup_steps > 0
                             ? std::min(1.0f, static_cast<float>(s.step) / static_cast<float>(c.kl_warmup_steps))
                             : 1.0f;
    auto loss = reconstruction + c.kl_weight * warmup * kl;

    torch::Tensor consistency = torch::zeros({});
    torch::Tensor shifted_mean, shifted_features;
    if (c.consistency_weight > 0) {
      shifted_features = s.model->encoder->features(s.shifted(batch));
      shifted_mean = s.model->encoder->mean(shifted_features);
      // Both views pull together. With the item's mean held fixed as the target, Adam's
      // steps chased it outward on near-identical images (latents 10^5, then NaN).
      consistency = (shifted_mean - mean).pow(2).sum(1).mean();
      loss = loss + c.consistency_weight * consistency;
    }
    // Every batch item towards its propagated class, through the shifted view where there
    // is one (the class must survive the augmentation), weighted by its clarity. The room's
    // classifier learns an unlabelled item the feature classifier is sure of towards its
    // verdict instead; the feature classifier itself learns from the labels and the graph
    // alone (taught by its own verdicts, its early mistakes would teach it on).
    torch::Tensor propagated = torch::zeros({});
    if (s.target_class.defined()) {
      const auto targets = s.target_class.index_select(0, batch_items);
      const auto weights = s.target_weight.index_select(0, batch_items);
      auto room_targets = targets, room_weights = weights;
      if (c.distil_confidence <= 1.0f) {
        const auto [sure, verdict] = s.verdicts(batch_features).detach().max(1);
        const auto distilled = s.is_unlabelled.index_select(0, batch_items).logical_and(sure >= c.distil_confidence);
        room_targets = torch::where(distilled, verdict, targets);
        room_weights = torch::where(distilled, torch::ones_like(weights), weights);
      }
      const auto& view_mean = shifted_mean.defined() ? shifted_mean : mean;
      const auto& view_features = shifted_features.defined() ? shifted_features : batch_features;
      const auto options = F::CrossEntropyFuncOptions().reduction(torch::kNone);
      const auto weighted = [](const torch::Tensor& per_item, const torch::Tensor& w) {
        return (per_item * w).sum() / w.sum().clamp_min(1.0);
      };
      propagated = weighted(F::cross_entropy(s.model->classifier(view_mean), room_targets, options), room_weights) +
                   weighted(F::cross_entropy(s.model->feature_classifier(view_features), targets, options), weights);
      loss = loss + c.classifier_weight * c.propagated_weight * propagated;
    }
    torch::Tensor classifier = torch::zeros({});
    // Propagation may have changed which labelled items are trusted: read them per step.
    const auto labelled = static_cast<std::int64_t>(s.trusted_items.size());
    if (labelled > 0 && c.labelled_per_batch > 0) {
      const auto labelled_items = torch::from_blob(s.trusted_items.data(), {labelled}, torch::kLong);
      const auto labelled_classes = torch::from_blob(s.trusted_classes.data(), {labelled}, torch::kLong);
      const auto pick = s.sample_trusted(c.labelled_per_batch);
      const auto items = State::pixels(s.images.index_select(0, labelled_items.index_select(0, pick)));
      const auto targets = labelled_classes.index_select(0, pick);
      const auto labelled_features = s.model->encoder->features(s.shifted(items));
      classifier = F::cross_entropy(s.model->classifier(s.model->encoder->mean(labelled_features)), targets) +
                   F::cross_entropy(s.model->feature_classifier(labelled_features), targets);
      loss = loss + c.classifier_weight * classifier;
    }
    s.optimizer.zero_grad();
    const float loss_value = loss.item<float>();
    ++s.step;
    const bool finite = std::isfinite(loss_value);
    if (!finite) {
      // Its gradients would poison every weight they touch: skip it, say so, go on.
      ++total.skipped;
      ++s.skipped_in_a_row;
      if (s.skipped_in_a_row == 1 || s.skipped_in_a_row % 100 == 0) {
        spdlog::warn("training step {}: loss is {} (reconstruction {}, KL {}, classifier {}); step skipped, "
                     "{} in a row", s.step, loss_value, reconstruction.item<float>(), kl.item<float>(),
                     classifier.item<float>(), s.skipped_in_a_row);
      }
    } else {
      s.skipped_in_a_row = 0;
      loss.backward();
    }
    // In a group every rank averages every step, a skipped one contributing zeros, so all
    // ranks take the same step and keep the same weights.
    const bool averaged = s.group && s.average_gradients();
    if (!finite) {
      if (averaged) s.optimizer.step();
      continue;
    }
    s.optimizer.step();

    ++finite_steps;
    total.reconstruction += reconstruction.item<float>();
    total.kl += kl.item<float>();
    total.classifier += classifier.item<float>();
    total.consistency += consistency.item<float>();
    total.propagated += propagated.item<float>();
    total.samples += static_cast<std::size_t>(c.batch_size);
  }
  total.skipped_in_a_row = s.skipped_in_a_row;
  if (finite_steps > 0) {
    const auto k = static_cast<float>(finite_steps);
    total.reconstruction /= k;
    total.kl /= k;
    total.classifier /= k;
    total.consistency /= k;
    total.propagated /= k;
  }
  return total;
}

std::vector<Vec3> Learner::embed(std::size_t begin, std::size_t end) { return infer(begin, end).latent; }

ModelOutput Learner::infer(std::size_t begin, std::size_t end) {
  c10::InferenceMode inference;
  state_->model->eval();
  ModelOutput out;
  out.latent.reserve(end - begin);
  out.predictions.reserve(end - begin);
  for (auto at = static_cast<std::int64_t>(begin); at < static_cast<std::int64_t>(end); at += kEmbedChunk) {
    const auto stop = std::min<std::int64_t>(at + kEmbedChunk, static_cast<std::int64_t>(end));
    state_->infer_into(State::pixels(state_->images.slice(0, at, stop)), out);
  }
  return out;
}

ModelOutput Learner::infer(std::span<const std::size_t> items) {
  c10::InferenceMode inference;
  state_->model->eval();
  ModelOutput out;
  out.latent.reserve(items.size());
  out.predictions.reserve(items.size());
  const auto n = static_cast<std::int64_t>(items.size());
  for (std::int64_t at = 0; at < n; at += kEmbedChunk) {
    const auto stop = std::min<std::int64_t>(at + kEmbedChunk, n);
    auto index = torch::empty({stop - at}, torch::kLong);
    auto a = index.accessor<std::int64_t, 1>();
    for (std::int64_t i = at; i < stop; ++i) a[i - at] = static_cast<std::int64_t>(items[static_cast<std::size_t>(i)]);
    state_->infer_into(State::pixels(state_->images.index_select(0, index)), out);
  }
  return out;
}

std::size_t Learner::doubted_count() const { return state_->doubted(); }

std::vector<std::size_t> Learner::take_touched() {
  auto& s = *state_;
  for (const auto i : s.touched) s.is_touched[i] = 0;
  return std::exchange(s.touched, {});
}

float Learner::reconstruction_loss(std::size_t begin, std::size_t end) {
  torch::NoGradGuard no_grad;
  state_->model->eval();
  const auto images =
      State::pixels(state_->images.slice(0, static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end)));
  const auto logits = state_->model->decoder(state_->model->encoder(images).first);
  const auto loss = F::binary_cross_entropy_with_logits(
      logits, images.flatten(1), F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum));
  return loss.item<float>() / static_cast<float>(end - begin);
}

void Learner::remap_classes(std::span<const int> old_of_new) {
  auto& s = *state_;
  ++s.generation;
  torch::NoGradGuard no_grad;
  auto latent_output = nn::Linear(s.model->classifier->layers->ptr<nn::LinearImpl>(2));
  remap_output_rows(latent_output, old_of_new, s.optimizer);
  remap_output_rows(s.model->feature_classifier, old_of_new, s.optimizer);
  s.config.num_classes = static_cast<int>(std::max<std::size_t>(old_of_new.size(), 1));
  s.labelled_items.clear();
  s.labelled_classes.clear();
  s.trusted_items.clear();
  s.trusted_classes.clear();
  s.labels.assign(static_cast<std::size_t>(s.images.size(0)), kUnlabelled);
  s.verdict.assign(s.labels.size(), kUnlabelled);
  s.scores.clear();
  s.fresh_targets.clear();
  s.propagation_stale = true;
}

void Learner::set_training_parameters(float learning_rate, float kl_weight, float classifier_weight,
                                      float consistency_weight) {
  auto& c = state_->config;
  c.learning_rate = learning_rate;
  c.kl_weight = kl_weight;
  c.classifier_weight = classifier_weight;
  c.consistency_weight = consistency_weight;
  for (auto& group : state_->optimizer.param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);
  }
}

namespace {

// Writes a whole file or throws. LibTorch's own file writer reports a failed write (a full
// disk) from a destructor, which ends the process; serialising to memory and writing here
// turns the same failure into an exception the caller can log and survive.
void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write " + path.string() + " (" + std::strerror(errno) + ")");
  }
}

std::string shape_of(const torch::Tensor& t) {
  std::string out;
  for (const auto d : t.sizes()) out += (out.empty() ? "" : "×") + std::to_string(d);
  return out.empty() ? "scalar" : out;
}

// Module::load, less its demand that every part be there and be of the same shape: each
// parameter and buffer the archive holds with the model's shape is copied in; the names
// of those it lacks, or holds in another shape (a checkpoint of another encoder width),
// are added to `missing` and keep their fresh values.
void read_present_parts(nn::Module& module, torch::serialize::InputArchive& archive, const std::string& prefix,
                        std::vector<std::string>& missing) {
  const auto read = [&](const std::string& key, torch::Tensor& value, bool is_buffer) {
    torch::Tensor stored;
    if (!archive.try_read(key, stored, is_buffer)) {
      missing.push_back(prefix + key);
    } else if (stored.sizes() != value.sizes()) {
      missing.push_back(prefix + key + " (" + shape_of(stored) + " stored, " + shape_of(value) + " now)");
    } else {
      torch::NoGradGuard no_grad;
      value.copy_(stored);
    }
  };
  for (auto& parameter : module.named_parameters(/*recurse=*/false)) read(parameter.key(), parameter.value(), false);
  for (auto& buffer : module.named_buffers(/*recurse=*/false)) read(buffer.key(), buffer.value(), true);
  for (auto& child : module.named_children()) {
    torch::serialize::InputArchive child_archive;
    if (archive.try_read(child.key(), child_archive)) {
      read_present_parts(*child.value(), child_archive, prefix + child.key() + ".", missing);
    } else {
      missing.push_back(prefix + child.key());
    }
  }
}

}  // namespace

void Learner::save(const std::filesystem::path& folder) const {
  std::filesystem::create_directories(folder);
  try {
    std::ostringstream model, optimizer;
    torch::save(state_->model, model);
    torch::save(state_->optimizer, optimizer);
    write_file(folder / "model.pt", std::move(model).str());
    write_file(folder / "optimizer.pt", std::move(optimizer).str());
    write_file(folder / "step", std::to_string(state_->step) + "\n");
    write_file(folder / kEncoderChannelsFile, std::to_string(config().conv2_channels) + "\n");
  } catch (...) {
    std::error_code ignored;  // a half-written checkpoint is no checkpoint: free its space
    std::filesystem::remove_all(folder, ignored);
    throw;
  }
}

void Learner::load(const std::filesystem::path& folder) {
  torch::serialize::InputArchive archive;
  archive.load_from((folder / "model.pt").string());
  std::vector<std::string> missing;
  read_present_parts(*state_->model, archive, "", missing);
  if (missing.empty()) {
    torch::load(state_->optimizer, (folder / "optimizer.pt").string());
  } else {
    // A checkpoint of an earlier model: what it holds carries over, the rest starts fresh,
    // and so does Adam (its moments would not line up with the parameters).
    std::string names;
    for (const auto& name : missing) names += (names.empty() ? "" : ", ") + name;
    spdlog::warn("checkpoint {} lacks part of the model or holds it in another shape ({}): those parts start fresh, "
                 "and so does the optimiser",
                 folder.string(), names);
    state_->optimizer.state().clear();
  }
  std::ifstream step_file(folder / "step");
  std::uint64_t step = 0;
  if (!(step_file >> step)) throw std::runtime_error("checkpoint " + folder.string() + " has no step file");
  state_->step = step;
  state_->skipped_in_a_row = 0;
  state_->fresh_targets.clear();  // their steps belong to the training before
  ++state_->generation;
}

std::uint64_t Learner::step() const { return state_->step; }
std::uint64_t Learner::model_generation() const { return state_->generation; }

void Learner::join_group(std::shared_ptr<TrainingGroup> group) {
  auto& s = *state_;
  std::int64_t parameters = 0;
  for (const auto& p : s.model->parameters()) parameters += p.numel();
  const std::vector<std::int64_t> signature{s.images.size(0), s.config.num_classes, parameters};
  group->check_same(signature, "items / classes / parameters");
  // Each rank draws its own batches, noise and shifts: with one seed they would all
  // compute the same gradients, and averaging them would add nothing.
  const auto rank_seed = s.config.seed + 7919 * static_cast<std::uint64_t>(group->rank());
  s.rng.seed(rank_seed);
  s.noise.set_current_seed(rank_seed);
  s.group = std::move(group);
  share_parameters();
  if (s.group) {
    spdlog::info("training group: rank {} of {} at {}:{}, {} parameters averaged every step", s.group->rank(),
                 s.group->world(), s.group->address().host, s.group->address().port, parameters);
  }
}

bool Learner::in_group() const { return state_->group != nullptr; }

void Learner::leave_group() { state_->group.reset(); }

void Learner::share_parameters() {
  auto& s = *state_;
  if (!s.group) return;
  auto parameters = s.model->parameters();
  std::uint64_t step = s.step;
  if (!s.in_group_or_leave([&] {
        s.group->broadcast(parameters);
        s.group->share(step);
      })) {
    return;
  }
  // Rank 0's step (the KL warm-up and the schedules follow it) and fresh Adam moments on
  // every rank: the same averaged gradient must make the same update everywhere.
  s.step = step;
  s.optimizer.state().clear();
}

std::vector<float> Learner::training_parameters() const {
  const auto& c = state_->config;
  return {c.learning_rate, c.kl_weight, c.classifier_weight, c.consistency_weight};
}
std::size_t Learner::item_count() const { return static_cast<std::size_t>(state_->images.size(0)); }
const ModelConfig& Learner::config() const { return state_->config; }

double Learner::encoder_flops_per_item() const { return learning::encoder_flops_per_item(state_->config); }

double encoder_flops_per_item(const ModelConfig& c) {
  const double h1 = c.height / 2, w1 = c.width / 2, h2 = h1 / 2, w2 = w1 / 2;
  const double conv1 = h1 * w1 * c.conv1_channels * (c.channels * 16);
  const double conv2 = h2 * w2 * c.conv2_channels * (c.conv1_channels * 16);
  const double fc = c.conv2_channels * h2 * w2 * c.hidden_units + c.hidden_units * 2.0 * c.latent_dims;
  return 2.0 * (conv1 + conv2 + fc);  // one multiply and one add per MAC
}

std::optional<int> saved_encoder_channels(const std::filesystem::path& folder) {
  std::ifstream in(folder / kEncoderChannelsFile);
  int channels = 0;
  if (in >> channels && channels > 0) return channels;
  if (std::filesystem::exists(folder / "model.pt")) return 32;  // saved before the width was recorded
  return std::nullopt;
}

int default_encoder_channels(ModelConfig shape, std::size_t items) {
  const bool wide_fits = encoder_flops_per_item(with_encoder_channels(shape, 64)) * static_cast<double>(items) <=
                         kWideEncoderRefreshFlops;
  return wide_fits ? 64 : 32;
}

}  // namespace lodestone::learning
