#!/usr/bin/env python3
"""Runs the from-scratch MLP's saved weights.npz in NumPy, to show the file
stands on its own: no TypeScript, only the forward pass
relu(x @ W1 + b1) -> relu(. @ W2 + b2) -> softmax(. @ W3 + b3).

  python3 tests/scratch_numpy_check.py WEIGHTS.npz --mnist DIR
      prints {"count": 10000, "accuracy": ...} on the MNIST test IDX files in DIR
      (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), inputs = pixels / 255
  python3 tests/scratch_numpy_check.py WEIGHTS.npz --inputs X.npy
      prints {"probabilities": [[...], ...]} for the float32 rows of X.npy

tests/scratch_numpy_test.ts uses the second form when python3 with NumPy is
installed.
"""
import argparse
import json
import os

import numpy as np


def forward(weights, x):
    """Class probabilities for the rows of x, layer by layer."""
    layers = len(weights) // 2
    a = x
    for k in range(1, layers + 1):
        z = a @ weights[f"W{k}"] + weights[f"b{k}"]
        a = np.maximum(z, 0) if k < layers else z
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def read_idx(path, magic, header):
    data = open(path, "rb").read()
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise SystemExit(f"Cannot read {path}: magic number is {found}, expected {magic}")
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("weights", help="weights.npz saved by saveScratchMlp")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--mnist", help="folder with the MNIST test IDX files")
    source.add_argument("--inputs", help=".npy file of float32 input rows")
    args = parser.parse_args()
    with np.load(args.weights) as archive:
        weights = {name: archive[name] for name in archive.files}
    for name, array in weights.items():
        if array.dtype != np.float32:
            raise SystemExit(f"Cannot use {name}: dtype is {array.dtype}, expected float32")
    if args.inputs:
        print(json.dumps({"probabilities": forward(weights, np.load(args.inputs)).tolist()}))
        return
    images = read_idx(os.path.join(args.mnist, "t10k-images-idx3-ubyte"), 2051, 16)
    labels = read_idx(os.path.join(args.mnist, "t10k-labels-idx1-ubyte"), 2049, 8)
    x = images.reshape(len(labels), 28 * 28).astype(np.float32) / 255
    predicted = forward(weights, x).argmax(axis=1)
    print(json.dumps({"count": len(labels), "accuracy": float((predicted == labels).mean())}))


if __name__ == "__main__":
    main()
