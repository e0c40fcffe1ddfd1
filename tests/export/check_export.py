#!/usr/bin/python3
"""Exports read by the tools ML engineers use: Python's csv module and torchvision's
ImageFolder. Runs the real lodestone-server: import, label, export.
Usage: check_export.py /path/to/lodestone-server"""
import csv
import os
import struct
import subprocess
import sys
import tempfile

import torchvision

server = sys.argv[1]
with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    n = 30
    with open(os.path.join(tmp, "img"), "wb") as f:
        f.write(b"\0\0\x08\x03" + struct.pack(">III", n, 8, 8))
        f.write(bytes((i * 11 + k) % 256 for i in range(n) for k in range(64)))
    with open(os.path.join(tmp, "lbl"), "wb") as f:
        f.write(b"\0\0\x08\x01" + struct.pack(">I", n) + bytes(i % 3 for i in range(n)))
    run = lambda *args: subprocess.run([server, "--data-dir", data, *args], check=True, capture_output=True, text=True)
    run("import", "idx", os.path.join(tmp, "img"), "--labels", os.path.join(tmp, "lbl"))
    with open(os.path.join(tmp, "labels.csv"), "w") as f:
        f.write("item_id,class\n")
        for item in range(1, 21):  # the first 20 items, labelled with their true digit
            f.write(f"{item},{(item - 1) % 3}\n")
    run("label", "--csv", os.path.join(tmp, "labels.csv"), "--annotator", "ada")

    run("export", "--format", "csv", "--out", os.path.join(tmp, "out.csv"))
    with open(os.path.join(tmp, "out.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 20, len(rows)
    expected = ["item_id", "source", "class", "origin", "annotator", "labelled_at", "sphere_id",
                "predicted_class", "confidence", "checkpoint_id"]
    assert list(rows[0].keys()) == expected, list(rows[0].keys())
    assert all(r["annotator"] == "ada" and r["origin"] == "manual" for r in rows)
    assert rows[4]["class"] == "1", rows[4]

    run("export", "--format", "imagefolder", "--out", os.path.join(tmp, "tree"))
    tree = torchvision.datasets.ImageFolder(os.path.join(tmp, "tree"))
    assert len(tree) == 20, len(tree)
    assert tree.classes == ["0", "1", "2"], tree.classes
    image, label = tree[0]
    assert image.size == (8, 8), image.size
    counts = [sum(1 for _, t in tree.samples if t == k) for k in range(3)]
    assert counts == [7, 7, 6], counts

    refused = subprocess.run([server, "--data-dir", data, "export", "--format", "csv", "--out",
                              os.path.join(tmp, "out.csv")], capture_output=True, text=True)
    assert refused.returncode != 0 and "--force" in refused.stderr, refused.stderr
print("exports read back: csv 20 rows, ImageFolder 20 images in 3 classes")
