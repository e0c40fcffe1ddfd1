#pragma once
// The network (LibTorch): convolutional encoder to a 3-D latent (mean, log-variance),
// fully-connected decoder back to the image, a shallow classifier on the latent mean
// (it sorts the room) and a linear one on the encoder's hidden features (it predicts). Only learner.cpp and vae_model.cpp include this header.
#include "learning/model_config.h"

#include <torch/torch.h>

namespace lodestone::learning {

struct EncoderImpl : torch::nn::Module {
  explicit EncoderImpl(const ModelConfig& config);
  // Returns (mean, log-variance), each batch × latent_dims.
  std::pair<torch::Tensor, torch::Tensor> forward(torch::Tensor images);
  // The hidden layer the latent is read from (batch × hidden_units): the learned features
  // the label-propagation graph is rebuilt on.
  torch::Tensor features(torch::Tensor images);

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Linear hidden{nullptr}, mean{nullptr}, log_variance{nullptr};
};
TORCH_MODULE(Encoder);

struct DecoderImpl : torch::nn::Module {
  explicit DecoderImpl(const ModelConfig& config);
  torch::Tensor forward(torch::Tensor latent);  // logits, batch × pixels

  torch::nn::Sequential layers{nullptr};
};
TORCH_MODULE(Decoder);

struct ClassifierImpl : torch::nn::Module {
  explicit ClassifierImpl(const ModelConfig& config);
  torch::Tensor forward(torch::Tensor latent_mean);  // logits, batch × classes

  torch::nn::Sequential layers{nullptr};
};
TORCH_MODULE(Classifier);

struct VaeImpl : torch::nn::Module {
  explicit VaeImpl(const ModelConfig& config);
  Encoder encoder{nullptr};
  Decoder decoder{nullptr};
  Classifier classifier{nullptr};
  // On the encoder's hidden features: the 3-D room bounds what the latent classifier can
  // tell apart, not what this one can (model_config.h).
  torch::nn::Linear feature_classifier{nullptr};
};
TORCH_MODULE(Vae);

}  // namespace lodestone::learning
