#include "learning/vae_model.h"

namespace lodestone::learning {
namespace {

namespace nn = torch::nn;

// Spatial size after the encoder's two stride-2 convolutions (kernel 4, padding 1).
int after_convs(int size) { return ((size / 2) / 2); }

}  // namespace

EncoderImpl::EncoderImpl(const ModelConfig& c)
    : conv1(nn::Conv2dOptions(c.channels, c.conv1_channels, /*kernel_size=*/4).stride(2).padding(1)),
      conv2(nn::Conv2dOptions(c.conv1_channels, c.conv2_channels, /*kernel_size=*/4).stride(2).padding(1)),
      hidden(c.conv2_channels * after_convs(c.height) * after_convs(c.width), c.hidden_units),
      mean(c.hidden_units, c.latent_dims),
      log_variance(c.hidden_units, c.latent_dims) {
  register_module("conv1", conv1);
  register_module("conv2", conv2);
  register_module("hidden", hidden);
  register_module("mean", mean);
  register_module("log_variance", log_variance);
  // Channels-last weights: oneDNN's convolutions, backward above all, run 1.2x faster on
  // one thread this way (the first convolution's weight gradient over one input channel
  // 5x), with the same values; docs/LEARNING.md, "Channels-last convolutions".
  // (A copy into a channels-last tensor: contiguous() leaves a one-channel weight as it is.)
  torch::NoGradGuard no_grad;
  for (auto* conv : {&conv1, &conv2}) {
    auto& weight = (*conv)->weight;
    weight.set_data(torch::empty_like(weight, torch::MemoryFormat::ChannelsLast).copy_(weight));
  }
}

torch::Tensor EncoderImpl::features(torch::Tensor x) {
  x = torch::relu(conv1(x));
  x = torch::relu(conv2(x));
  return torch::relu(hidden(x.flatten(1)));
}

std::pair<torch::Tensor, torch::Tensor> EncoderImpl::forward(torch::Tensor x) {
  x = features(std::move(x));
  return {mean(x), log_variance(x)};
}

DecoderImpl::DecoderImpl(const ModelConfig& c)
    : layers(nn::Linear(c.latent_dims, 256), nn::ReLU(), nn::Linear(256, 512), nn::ReLU(),
             nn::Linear(512, c.width * c.height * c.channels)) {
  register_module("layers", layers);
}

torch::Tensor DecoderImpl::forward(torch::Tensor latent) { return layers->forward(latent); }

ClassifierImpl::ClassifierImpl(const ModelConfig& c)
    : layers(nn::Linear(c.latent_dims, 32), nn::ReLU(), nn::Linear(32, c.num_classes)) {
  register_module("layers", layers);
}

torch::Tensor ClassifierImpl::forward(torch::Tensor latent_mean) { return layers->forward(latent_mean); }

VaeImpl::VaeImpl(const ModelConfig& c)
    : encoder(c), decoder(c), classifier(c), feature_classifier(c.hidden_units, c.num_classes) {
  register_module("encoder", encoder);
  register_module("decoder", decoder);
  register_module("classifier", classifier);
  register_module("feature_classifier", feature_classifier);
}

}  // namespace lodestone::learning
