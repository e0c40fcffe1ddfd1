#!/usr/bin/python3
"""The same model, batch composition and augmentation as server/learning/learner.cpp,
in Python PyTorch, for the training-throughput comparison in bench/learning_bench.
Usage: python_vae.py THREADS SECONDS [CHANNELS]  -> prints "samples_per_second N".
CHANNELS is the second convolution's width (the server's --encoder-channels; the first
has half as many), 64 unless given."""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

threads, seconds = int(sys.argv[1]), float(sys.argv[2])
channels = int(sys.argv[3]) if len(sys.argv) > 3 else 64
torch.set_num_threads(threads)
torch.manual_seed(1)

class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels // 2, 4, stride=2, padding=1)
        self.conv2 = nn.Conv2d(channels // 2, channels, 4, stride=2, padding=1)
        self.hidden = nn.Linear(channels * 7 * 7, 128)
        self.mean = nn.Linear(128, 3)
        self.log_variance = nn.Linear(128, 3)
        self.decoder = nn.Sequential(nn.Linear(3, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(),
                                     nn.Linear(512, 784))
        self.classifier = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 10))
        self.feature_classifier = nn.Linear(128, 10)

    def features(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        return F.relu(self.hidden(x.flatten(1)))

def shifted(batch, s=2):
    padded = F.pad(batch, (s, s, s, s))
    offsets = torch.randint(0, 2 * s + 1, (batch.size(0), 2))
    return torch.stack([padded[i, :, dy:dy + 28, dx:dx + 28] for i, (dy, dx) in enumerate(offsets.tolist())])

images = torch.rand(10000, 1, 28, 28)
labelled = torch.randint(0, 10000, (100,))
classes = torch.randint(0, 10, (100,))
# What label propagation gives every item: a class and a weight (fixed here; the C++
# side propagates once, during the warm-up, then trains on the result as this does).
propagated_class = torch.randint(0, 10, (10000,))
propagated_weight = torch.rand(10000)
model = Vae()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
samples, steps, start = 0, 0, None
while True:
    if steps == 20:  # warm-up excluded, as in the C++ measurement
        start, samples = time.perf_counter(), 0
    if start is not None and time.perf_counter() - start >= seconds:
        break
    batch_items = torch.randint(0, 10000, (256,))
    batch = images[batch_items]
    features = model.features(batch)
    mean, log_variance = model.mean(features), model.log_variance(features)
    z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_variance)
    reconstruction = F.binary_cross_entropy_with_logits(model.decoder(z), batch.flatten(1), reduction="sum") / 256
    kl = -0.5 * torch.sum(1 + log_variance - mean.pow(2) - log_variance.exp()) / 256
    shifted_features = model.features(shifted(batch))
    shifted_mean = model.mean(shifted_features)
    consistency = (shifted_mean - mean).pow(2).sum(1).mean()
    # The room's classifier learns the unlabelled items the feature classifier is sure of
    # towards its verdict (here every item is unlabelled but the 100).
    targets = propagated_class[batch_items]
    weights = propagated_weight[batch_items]
    sure, verdict = torch.softmax(model.feature_classifier(features), 1).detach().max(1)
    distilled = sure >= 0.5
    room_targets = torch.where(distilled, verdict, targets)
    room_weights = torch.where(distilled, torch.ones_like(weights), weights)
    def weighted(per_item, w):
        return (per_item * w).sum() / w.sum().clamp_min(1.0)
    propagated = (weighted(F.cross_entropy(model.classifier(shifted_mean), room_targets, reduction="none"), room_weights)
                  + weighted(F.cross_entropy(model.feature_classifier(shifted_features), targets, reduction="none"),
                             weights))
    pick = torch.randint(0, 100, (64,))
    labelled_features = model.features(shifted(images[labelled[pick]]))
    classifier = (F.cross_entropy(model.classifier(model.mean(labelled_features)), classes[pick])
                  + F.cross_entropy(model.feature_classifier(labelled_features), classes[pick]))
    loss = reconstruction + 0.5 * kl + 4.0 * consistency + 10.0 * classifier + 300.0 * propagated
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    samples += 256
    steps += 1
print(f"samples_per_second {samples / (time.perf_counter() - start):.1f}")
