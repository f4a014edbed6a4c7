"""Headline stance on the FNC-1 competition test set: the shipped model against the FNC-1 baseline, same run.

    python benchmarks/bench_stance.py [--retrain]

Prints the official FNC score, macro-F1 over the four classes, per-class F1 and the confusion matrix for both
models, and the time per pair. The baseline is the official one's recipe, refitted here: gradient-boosted trees
(200 estimators) on the FNC-1 baseline's hand features (word overlap, refuting words, polarity, n-gram hits).
``--retrain`` first retrains the shipped model (benchmarks/train_stance.py); otherwise its weights file is used.
Features are cached under /tmp/storyline-stance.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import confusion_matrix, f1_score
from train_stance import featurize, labels_of, load_split, predict, train_and_export

from storyline.compare.stance import LABELS, StanceModel, baseline_features, fnc_score, headline_stance, load_model


def show(name: str, gold: np.ndarray, pred: np.ndarray) -> None:
    """Scores and confusion matrix (rows gold, columns predicted)."""
    g, p = [LABELS[i] for i in gold], [LABELS[i] for i in pred]
    per_class = f1_score(gold, pred, labels=range(len(LABELS)), average=None)
    print(f"\n{name}\n  FNC score {fnc_score(g, p):.4f}   macro-F1 {per_class.mean():.4f}")
    print("  F1 " + "  ".join(f"{label} {f:.3f}" for label, f in zip(LABELS, per_class, strict=True)))
    print("  confusion (rows gold, columns predicted):  " + " ".join(f"{label[:9]:>9}" for label in LABELS))
    for label, row in zip(LABELS, confusion_matrix(gold, pred, labels=range(len(LABELS))), strict=True):
        print(f"  {label:>42}  " + " ".join(f"{n:9d}" for n in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retrain", action="store_true", help="retrain the shipped model first")
    args = parser.parse_args()
    train, test = load_split("train"), load_split("competition_test")
    if args.retrain:
        train_and_export(train)
    model = StanceModel()
    y_train, y_test = labels_of(train), labels_of(test)
    tf_train, dense_train = featurize(train, model.vocab)
    tf_test, dense_test = featurize(test, model.vocab)

    nets = [{"w1": model.w1[e], "b1": model.b1[e], "w2": model.w2[e], "b2": model.b2[e]} for e in range(len(model.b1))]
    ours = predict(nets, tf_test, (dense_test - model.mean) / model.std).argmax(axis=1)
    started = time.perf_counter()
    gbdt = GradientBoostingClassifier(n_estimators=200, random_state=14128).fit(dense_train[:, :44], y_train)
    print(f"baseline GBDT fitted in {time.perf_counter() - started:.0f} s")
    base = gbdt.predict(dense_test[:, :44])
    print(f"FNC-1 competition test: {len(test)} pairs")
    show("ours: TF + hand features -> MLP ensemble", y_test, ours)
    show("baseline: hand features -> GBDT", y_test, base)

    sample = test[::125]
    load_model()
    started = time.perf_counter()
    for headline, body, _ in sample:
        headline_stance(headline, body)
    ours_ms = (time.perf_counter() - started) / len(sample) * 1000
    started = time.perf_counter()
    for headline, body, _ in sample:
        gbdt.predict(np.log1p([baseline_features(headline, body, model.vocab.stop)]))
    base_ms = (time.perf_counter() - started) / len(sample) * 1000
    print(f"\nper pair ({len(sample)} pairs, features included): ours {ours_ms:.1f} ms, baseline {base_ms:.1f} ms, "
          f"ratio {ours_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()
