"""Train the plain-text line model and write src/storyline/extract/line_model.json.

    python benchmarks/train_line_model.py

Data: ../shared/data/extraction/plaintext-line-labels/turkunlp-oscar-line-quality
(en, de, es, fi). Fits a logistic regression (scikit-learn, needed here only) on
the train splits of all four languages, picks the regularisation strength and
the decision threshold by the dev noise-F1 of the whole classifier (model then
page passes, as `classify_lines` runs them), and never looks at test.
Deterministic: the same data gives the same JSON.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.extract.text import FEATURES, line_features, page_passes  # noqa: E402

DATA = REPO.parent / "shared/data/extraction/plaintext-line-labels" / "turkunlp-oscar-line-quality"
LANGS = ("en", "de", "es", "fi")
OUT = REPO / "src" / "storyline" / "extract" / "line_model.json"


Doc = tuple[list[str], list[int]]


def load(split: str, langs: tuple[str, ...] = LANGS) -> list[Doc]:
    """Documents of one split: their non-empty lines and noise labels (1 = noise, the set's label "0")."""
    docs: list[Doc] = []
    for lang in langs:
        with gzip.open(DATA / f"{lang}_{split}.json.gz", "rt", encoding="utf-8") as fh:
            for doc in json.load(fh):
                pairs = [(t.strip(), y) for t, y in zip(doc["text"], doc["labels"], strict=True) if t.strip()]
                if pairs:
                    docs.append(([t for t, _ in pairs], [1 if lab == "0" else 0 for _, lab in pairs]))
    return docs


def matrix(docs: list[Doc]) -> tuple[np.ndarray, np.ndarray]:
    """Stacked feature rows and labels of all lines."""
    rows = [row for lines, _ in docs for row in line_features(lines)]
    return np.array(rows), np.array([y for _, labels in docs for y in labels])


def pipeline_f1(docs: list[Doc], probs: np.ndarray, threshold: float) -> float:
    """Noise-F1 of the full classifier (line model + page passes) at one threshold."""
    gold: list[int] = []
    pred: list[bool] = []
    start = 0
    for lines, labels in docs:
        doc_probs = [float(p) for p in probs[start:start + len(lines)]]
        start += len(lines)
        noise = [p >= threshold for p in doc_probs]
        page_passes(lines, doc_probs, noise)
        gold.extend(labels)
        pred.extend(noise)
    return float(f1_score(gold, pred))


def main() -> None:
    train, dev = load("train"), load("dev")
    x_train, y_train = matrix(train)
    x_dev, _ = matrix(dev)
    scaler = StandardScaler().fit(x_train)
    xs_train, xs_dev = scaler.transform(x_train), scaler.transform(x_dev)
    best = (-1.0, 1.0, 0.5)
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(xs_train, y_train)
        probs = model.predict_proba(xs_dev)[:, 1]
        for threshold in np.arange(0.3, 0.81, 0.025):
            f1 = pipeline_f1(dev, probs, float(threshold))
            if f1 > best[0]:
                best = (f1, c, round(float(threshold), 3))
    f1, c, threshold = best
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(xs_train, y_train)
    OUT.write_text(json.dumps({
        "about": "Line noise model for storyline.extract.text; trained by benchmarks/train_line_model.py on "
                 "turkunlp-oscar-line-quality train (en, de, es, fi); C and threshold chosen on dev by the "
                 "noise-F1 of the full classifier (model + page passes).",
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "dev_noise_f1": round(f1, 4),
        "C": c,
    }, indent=1) + "\n", encoding="utf-8")
    print(f"train lines {len(y_train)}, dev lines {len(xs_dev)}; C={c} threshold={threshold} "
          f"dev noise-F1 (model + page passes)={f1:.3f}")
    for name, coef in sorted(zip(FEATURES, model.coef_[0], strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:22s} {coef:+.3f}")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
