#!/usr/bin/python3
"""What a plain supervised network makes of a labelling loop's labels: the ceiling of the
loop's "model on the rest" figure for an encoder of the server's shape.

Reads a data folder kept by `loop_bench --keep DIR` (the items, the stored labels and the
ground truth), trains a classifier on the labelled items alone for SECONDS on one thread
(Adam 0.001, batches of 128, shifted by up to 2 pixels, as the server shifts), and prints
its accuracy on the items left unlabelled, beside 5-NN on raw pixels with the same labels,
and beside a k-NN vote in its own feature space and the two averaged.

Usage: rest_ceiling.py DATA_DIR [--arch server|pooled] [--seconds S] [--seed N] [--channels C]
  server: two 4x4 stride-2 convolutions (C/2, C), 128 hidden units, linear head
          (the server's encoder and feature classifier, without the VAE);
  pooled: two 3x3 convolutions with max-pooling (32, 64), 128 hidden units, linear head.
Grey square images only (the MNIST loop's data).
"""
import argparse
import sqlite3
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(data_dir):
    path = f"{data_dir}/lodestone.db"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.execute("SELECT 1 FROM items LIMIT 1")
    except sqlite3.Error as e:
        raise SystemExit(f"rest_ceiling: cannot read {path}: {e}")
    ids, images = [], []
    for item_id, pixels in db.execute("SELECT id, pixels FROM items ORDER BY id"):
        ids.append(item_id)
        images.append(np.frombuffer(pixels, np.uint8))
    truth = dict(db.execute("SELECT item_id, class_name FROM ground_truth"))
    # The newest annotation of each item; a NULL class is a removed label.
    newest = dict(db.execute(
        "SELECT a.item_id, c.name FROM annotations a LEFT JOIN classes c ON c.id = a.class_id "
        "WHERE a.id = (SELECT MAX(id) FROM annotations b WHERE b.item_id = a.item_id)"))
    if len(truth) < len(ids):
        raise SystemExit(f"rest_ceiling: {data_dir} holds ground truth for {len(truth)} of {len(ids)} items; "
                         "it needs a folder kept by loop_bench --keep")
    names = sorted(set(truth.values()))
    index = {name: i for i, name in enumerate(names)}
    side = int(round(len(images[0]) ** 0.5))
    x = torch.tensor(np.stack(images).astype(np.float32) / 255).view(-1, 1, side, side)
    y_true = np.array([index[truth[i]] for i in ids])
    y_label = np.array([index[newest[i]] if newest.get(i) is not None else -1 for i in ids])
    return x, y_true, y_label, len(names)


def network(arch, channels, side, classes):
    out = side // 4  # both shapes halve the side twice
    if arch == "server":
        features = [nn.Conv2d(1, channels // 2, 4, 2, 1), nn.ReLU(), nn.Conv2d(channels // 2, channels, 4, 2, 1),
                    nn.ReLU()]
    else:
        channels = 64
        features = [nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(),
                    nn.MaxPool2d(2)]
    return nn.Sequential(*features, nn.Flatten(),
                         nn.Linear(channels * out * out, 128), nn.ReLU(), nn.Linear(128, classes))


def vote(references, reference_classes, queries, k, classes):
    nearest = torch.cdist(queries, references).topk(k, largest=False).indices
    votes = torch.zeros(len(queries), classes)
    votes.scatter_add_(1, reference_classes[nearest], torch.ones(nearest.shape))
    return votes / k


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--arch", choices=["server", "pooled"], default="server")
    parser.add_argument("--seconds", type=float, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--channels", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    x, y_true, y_label, classes = load(args.data_dir)
    labelled, rest = np.flatnonzero(y_label >= 0), np.flatnonzero(y_label < 0)
    if len(rest) == 0 or len(labelled) == 0:
        raise SystemExit("rest_ceiling: the data folder needs labelled and unlabelled items")
    targets = torch.tensor(y_label)
    net = network(args.arch, args.channels, x.shape[-1], classes)
    optimizer = torch.optim.Adam(net.parameters(), 1e-3)
    start, steps = time.time(), 0
    while time.time() - start < args.seconds:
        batch = torch.tensor(rng.choice(labelled, 128))
        dx, dy = rng.integers(-2, 3, 2)
        images = torch.roll(x[batch], (int(dx), int(dy)), (2, 3))
        loss = F.cross_entropy(net(images), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        steps += 1

    with torch.no_grad():
        hidden = net[:-1](x)
        features = F.normalize(hidden, dim=1)
        probabilities = F.softmax(net[-1](hidden), 1)
    truth = y_true[rest]
    head = probabilities[rest]
    feature_vote = vote(features[labelled], targets[labelled], features[rest], 5, classes)
    pixel_vote = vote(x[labelled].flatten(1), targets[labelled], x[rest].flatten(1), 5, classes)
    accuracy = lambda scores: float((scores.argmax(1).numpy() == truth).mean())
    print(f"{len(labelled)} labelled ({float((y_label[labelled] == y_true[labelled]).mean()):.3f} right), "
          f"{len(rest)} left; {args.arch} network, seed {args.seed}, {steps} steps in {args.seconds:.0f} s")
    print(f"on the rest: network {accuracy(head):.3f}, 5-NN in its features {accuracy(feature_vote):.3f}, "
          f"both averaged {accuracy(head + feature_vote):.3f}, 5-NN on raw pixels {accuracy(pixel_vote):.3f}")


if __name__ == "__main__":
    main()
