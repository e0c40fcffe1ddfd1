#pragma once
// The model and its optimiser behind a plain interface, so only learner.cpp and
// vae_model.cpp compile against LibTorch. Not thread-safe: one thread (the trainer)
// owns a Learner.
#include "learning/model_config.h"
#include "lodestone/types.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace lodestone::learning {

class TrainingGroup;

struct StepLosses {
  float reconstruction = 0;  // per item, summed over pixels (binary cross-entropy)
  float kl = 0;              // per item
  float classifier = 0;      // mean cross-entropy over labelled items; 0 without labels
  float consistency = 0;     // mean squared latent shift under augmentation
  float propagated = 0;      // weighted cross-entropy towards the propagated labels
  std::size_t samples = 0;   // items the steps trained on
  int skipped = 0;           // steps whose loss was not finite: skipped, weights untouched
  int skipped_in_a_row = 0;  // non-finite steps since the last finite one (across calls)
};

struct Prediction {
  int class_index = -1;
  float confidence = 0;  // softmax probability of class_index
};

inline constexpr int kUnlabelled = -1;

// What the model makes of items: where each sits in the latent space (the room) and what
// it predicts for each (the feature classifier's verdict).
struct ModelOutput {
  std::vector<Vec3> latent;
  std::vector<Prediction> predictions;
};

class Learner {
 public:
  // `pixels` holds `item_count` thumbnails of the configured shape, as bytes.
  Learner(const ModelConfig& config, std::span<const std::uint8_t> pixels, std::size_t item_count);
  ~Learner();
  Learner(const Learner&) = delete;
  Learner& operator=(const Learner&) = delete;

  // One class index (or kUnlabelled) per item; the labelled ones enter every batch.
  void set_labels(std::span<const int> labels);
  std::size_t labelled_count() const;

  // Runs `steps` optimisation steps; returns the mean losses over the finite ones. A step
  // whose loss is not finite is skipped before its gradients reach the weights.
  StepLosses train(int steps);

  // Latent means of items [begin, end), without sampling (what the room shows).
  std::vector<Vec3> embed(std::size_t begin, std::size_t end);
  // Latent means and predictions of items [begin, end), in one pass of the encoder.
  ModelOutput infer(std::size_t begin, std::size_t end);
  // The same for any items, in the order given.
  ModelOutput infer(std::span<const std::size_t> items);
  // Items whose label or propagated class changed since the last call (each once): the
  // ones training is about to move.
  std::vector<std::size_t> take_touched();
  // Labelled items whose label the feature classifier contradicts (model_config.h): they
  // teach nothing until it agrees again or the label changes.
  std::size_t doubted_count() const;
  // The labels as propagated over the neighbour graph (class -1 where none reached), as
  // of the last step; empty before the first step with labels.
  std::vector<int> propagated_classes() const;
  // Mean reconstruction loss per item over [begin, end), decoding latent means.
  float reconstruction_loss(std::size_t begin, std::size_t end);

  // The label set changed: the classifier gets one output per new class; output i takes
  // the weights of old output old_of_new[i] (-1: a new class, freshly initialised).
  void remap_classes(std::span<const int> old_of_new);
  // Loss weights and learning rate, as a lead edits them while training runs.
  void set_training_parameters(float learning_rate, float kl_weight, float classifier_weight,
                               float consistency_weight);
  // Checkpoint: model and optimiser in separate files under `folder`.
  void save(const std::filesystem::path& folder) const;
  void load(const std::filesystem::path& folder);

  // Trains as one rank of a data-parallel group (learning/training_group.h): every step
  // averages its gradients with the other ranks'. Joining checks that every rank has the
  // same items and model, and takes rank 0's weights (throws, saying what differs). When
  // a rank is lost the group ends with an error in the log, and training goes on alone.
  void join_group(std::shared_ptr<TrainingGroup> group);
  bool in_group() const;
  void leave_group();
  // Rank 0 sends its weights and step to the others (on joining, after loading a
  // checkpoint); they receive them. Every rank's optimiser moments start afresh.
  void share_parameters();
  // Learning rate, KL, classifier and consistency weights (set_training_parameters' order).
  std::vector<float> training_parameters() const;

  std::uint64_t step() const;
  // Counts the times the model was replaced wholesale (load, remap_classes): latents of
  // two generations do not belong in one room.
  std::uint64_t model_generation() const;
  std::size_t item_count() const;
  const ModelConfig& config() const;
  // Floating-point operations of one encoder forward pass per item (for benchmarks).
  double encoder_flops_per_item() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The encoder width (ModelConfig::conv2_channels) a checkpoint folder was saved with;
// 32 for checkpoints older than the record (they were all 32 wide), nullopt where the
// folder holds no model.
inline constexpr const char* kEncoderChannelsFile = "encoder_channels";
std::optional<int> saved_encoder_channels(const std::filesystem::path& folder);

// Floating-point operations of one encoder forward pass per item of this shape.
double encoder_flops_per_item(const ModelConfig& config);

// The encoder width a dataset of `items` items of `shape`'s size gets when nobody chose
// one: 64 (convolutions 32/64), which sorts the room better than 32 (docs/LEARNING.md),
// while one embedding of every item at that width stays within
// kWideEncoderRefreshFlops; 32 above it, where the room's refresh after a label would
// lag (a full refresh of 100k digits at 64 takes about 2.5 s on two cores).
inline constexpr double kWideEncoderRefreshFlops = 2e11;
int default_encoder_channels(ModelConfig shape, std::size_t items);

}  // namespace lodestone::learning
