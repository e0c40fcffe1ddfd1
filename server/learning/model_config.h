#pragma once
// Everything that shapes the model and its training; set from the configuration.
#include <cstdint>

namespace lodestone::learning {

struct ModelConfig {
  // Input: thumbnails of width × height × channels bytes.
  int width = 28, height = 28, channels = 1;
  int num_classes = 10;
  int latent_dims = 3;  // the room is three-dimensional

  // Encoder: two 4×4 stride-2 convolutions, then a hidden layer. The server and the quality
  // test widen it to 32/64 where the dataset is small enough (default_encoder_channels).
  int conv1_channels = 16, conv2_channels = 32, hidden_units = 128;

  // Loss = reconstruction + kl_weight · KL + classifier_weight · cross-entropy(labelled)
  //        + propagated_weight · classifier_weight · weighted cross-entropy(propagated)
  //        + consistency_weight · |μ(shifted view) − μ(item)|²
  // where both cross-entropies are those of the room's classifier plus the feature
  // classifier's.
  float kl_weight = 0.5f;
  float classifier_weight = 10.0f;
  float consistency_weight = 4.0f;
  float learning_rate = 1e-3f;
  // The KL weight ramps up from 0 over the first steps; starting at full weight lets the
  // posterior collapse onto the prior before the decoder learns to use the latent.
  int kl_warmup_steps = 1000;

  int batch_size = 256;          // items drawn from the whole dataset per step
  int labelled_per_batch = 64;   // labelled items mixed into every step (with replacement)
  int max_shift_pixels = 2;      // augmentation: random translation of each view

  // Label propagation (learning/label_propagation.h): the labels spread over a k-NN graph
  // of the items, first on their pixels' leading principal components, then on the
  // encoder's learned features, rebuilt every graph_rebuild_steps (0: pixels only). Every
  // item of a batch trains the classifier towards its propagated class, weighted by its
  // clarity, with propagated_weight · classifier_weight in all.
  int graph_neighbours = 10;
  int graph_pixel_components = 30;
  int graph_rebuild_steps = 0;
  int propagation_iterations = 200;
  float propagated_weight = 30.0f;

  // The feature classifier reads the encoder's hidden features (all hidden_units of them,
  // not the room's three) and gives the model's predictions. Unlabelled items it is at
  // least distil_confidence sure of train the room's classifier towards its verdict, so
  // the room sorts them as the better judge does. A labelled item to whose label it gives
  // a probability under doubt_below, once the label has been trained on for
  // doubt_after_steps, is doubted: no labelled example, it trains towards the verdict
  // (re-judged every doubt_every_steps; 0 turns doubting off).
  float distil_confidence = 0.5f;
  float doubt_below = 0.1f;
  int doubt_after_steps = 500;
  int doubt_every_steps = 200;

  // Every batch draws fresh_target_share of its items from those whose training target
  // changed in the last fresh_target_steps steps (a label, and the items its propagation
  // gave another class), the rest from the whole dataset: drawn uniformly, an item at 10k
  // meets a batch once in forty steps, and the model learned a label's consequences
  // long after it was given (learning/fresh_targets.h; 0 turns this off).
  float fresh_target_share = 0.25f;
  int fresh_target_steps = 100;

  int threads = 2;
  std::uint64_t seed = 1;
};

// `config` with an encoder `conv2` channels wide; the first convolution has half as many.
inline ModelConfig with_encoder_channels(ModelConfig config, int conv2) {
  config.conv2_channels = conv2;
  config.conv1_channels = conv2 > 1 ? conv2 / 2 : 1;
  return config;
}

}  // namespace lodestone::learning
