"""Train the headline-stance model and write src/storyline/compare/stance_model.npz.

    python benchmarks/train_stance.py [--select]

Data: FNC-1 (github.com/FakeNewsChallenge/fnc-1, the Emergent corpus of Ferreira & Vlachos 2016), read from
../shared/data/stance/fnc1. The dataset has no licence file: research and evaluation use, not for republication;
the shipped weights derive from it and carry the same terms. Only train_*.csv is used here; the competition test
set is scored once, by benchmarks/bench_stance.py.

The model follows UCL's FNC-1 system (Riedel et al. 2017: term-frequency vectors of headline and body over a shared
5,000-term vocabulary, their TF-IDF cosine, one ReLU layer of 100 units) and adds the FNC-1 baseline's hand features
plus sentence-level similarity, hedging, negation and headline-coverage cues (see storyline.compare.stance).
``--select`` holds out 20% of the training bodies (seeded) and prints the dev FNC score and macro-F1 every 5 epochs,
to choose EPOCHS; without it, ENSEMBLE networks are fitted on all of train and exported. Needs torch and scikit-learn
(training only; the shipped model runs on numpy).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.compare import stance  # noqa: E402
from storyline.compare.stance import LABELS, WEIGHTS, Vocabulary, body_view, dense_features, fnc_score  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "stance" / "fnc1"
CACHE = Path("/tmp/storyline-stance")
VOCAB_SIZE = 5000
HIDDEN = 100
EPOCHS = 25
SELECT_EPOCHS = 40
ENSEMBLE = 5
SEED = 1489

Pairs = list[tuple[str, str, str]]


def load_split(name: str) -> Pairs:
    """(headline, body text, stance) for every pair of an FNC-1 split ("train" or "competition_test")."""
    csv.field_size_limit(sys.maxsize)
    with open(DATA / f"{name}_bodies.csv", encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with open(DATA / f"{name}_stances.csv", encoding="utf-8", newline="") as fh:
        return [(row["Headline"], bodies[row["Body ID"]], row["Stance"]) for row in csv.DictReader(fh)]


def dev_split(pairs: Pairs, share: float = 0.2, seed: int = SEED) -> tuple[Pairs, Pairs]:
    """Split by body: a seeded `share` of the distinct bodies goes to dev."""
    bodies = sorted({b for _, b, _ in pairs})
    random.Random(seed).shuffle(bodies)
    dev = set(bodies[:int(len(bodies) * share)])
    return [p for p in pairs if p[1] not in dev], [p for p in pairs if p[1] in dev]


def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the list UCL and the baseline use)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def build_vocabulary(pairs: Pairs) -> Vocabulary:
    """The VOCAB_SIZE most frequent terms of the distinct headlines and bodies, with smoothed IDF."""
    stop = stop_words()
    probe = Vocabulary([], np.zeros(0), stop)
    docs = sorted({h for h, _, _ in pairs} | {b for _, b, _ in pairs})
    tf: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for doc in docs:
        terms = probe.terms_of(doc)
        tf.update(terms)
        df.update(set(terms))
    terms = [t for t, _ in sorted(tf.items(), key=lambda kv: (-kv[1], kv[0]))[:VOCAB_SIZE]]
    idf = np.array([np.log((1 + len(docs)) / (1 + df[t])) + 1 for t in terms])
    return Vocabulary(terms, idf, stop)


def featurize(pairs: Pairs, vocab: Vocabulary) -> tuple[sparse.csr_matrix, np.ndarray]:
    """[headline TF | body TF] as a sparse matrix and the dense features, cached under /tmp by data and code."""
    code = Path(stance.__file__).read_text(encoding="utf-8")
    key = hashlib.sha256("\x00".join([code, *vocab.terms] + [h + "\x01" + b for h, b, _ in pairs]).encode())
    path = CACHE / f"features-{key.hexdigest()[:16]}.npz"
    if path.exists():
        with np.load(path) as z:
            return sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"])), z["dense"]
    view = lru_cache(maxsize=None)(lambda body: body_view(body, vocab))
    head_tf = lru_cache(maxsize=None)(vocab.tf)
    rows, cols, vals, dense = [], [], [], []
    for i, (headline, body, _) in enumerate(pairs):
        v = view(body)
        (h_idx, h_val), (b_idx, b_val) = head_tf(headline), v.tf
        cols += [h_idx, b_idx + VOCAB_SIZE]
        vals += [h_val, b_val]
        rows.append(np.full(len(h_idx) + len(b_idx), i))
        dense.append(dense_features(headline, v, vocab))
    tf = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                           shape=(len(pairs), 2 * VOCAB_SIZE), dtype=np.float32)
    dense_arr = np.array(dense, dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, data=tf.data, indices=tf.indices, indptr=tf.indptr, shape=tf.shape, dense=dense_arr)
    return tf, dense_arr


def labels_of(pairs: Pairs) -> np.ndarray:
    return np.array([LABELS.index(s) for _, _, s in pairs])


def fit_network(tf: sparse.csr_matrix, dense: np.ndarray, y: np.ndarray, epochs: int, seed: int,
                evaluate=None) -> dict[str, np.ndarray]:
    """One network (UCL's recipe: Adam 0.01, batch 500, dropout 0.4, L2 1e-5); weights as numpy arrays.

    `evaluate(params, epoch)` is called every 5 epochs when given.
    """
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    x = sparse.hstack([tf, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
    layer = torch.nn.EmbeddingBag(x.shape[1], HIDDEN, mode="sum")
    torch.nn.init.xavier_uniform_(layer.weight)
    bias = torch.nn.Parameter(torch.zeros(HIDDEN))
    out = torch.nn.Linear(HIDDEN, len(LABELS))
    params = [layer.weight, bias, *out.parameters()]
    optimizer = torch.optim.Adam(params, lr=0.01)
    drop = torch.nn.Dropout(0.4)
    rng = np.random.default_rng(seed)
    targets = torch.as_tensor(y)

    def export() -> dict[str, np.ndarray]:
        return {"w1": layer.weight.detach().numpy().copy(), "b1": bias.detach().numpy().copy(),
                "w2": out.weight.detach().numpy().T.copy(), "b2": out.bias.detach().numpy().copy()}

    for epoch in range(1, epochs + 1):
        for batch in np.array_split(rng.permutation(x.shape[0]), max(1, x.shape[0] // 500)):
            sub = x[batch]
            hidden = layer(torch.as_tensor(sub.indices, dtype=torch.long),
                           torch.as_tensor(sub.indptr[:-1], dtype=torch.long),
                           per_sample_weights=torch.as_tensor(sub.data)) + bias
            logits = drop(out(drop(torch.relu(hidden))))
            loss = torch.nn.functional.cross_entropy(logits, targets[batch], reduction="sum")
            loss = loss + 1e-5 * sum((p ** 2).sum() / 2 for p in params if p.dim() > 1)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            optimizer.step()
        if evaluate is not None and epoch % 5 == 0:
            evaluate(export(), epoch)
    return export()


def predict(nets: list[dict[str, np.ndarray]], tf: sparse.csr_matrix, dense: np.ndarray) -> np.ndarray:
    """Mean class probabilities of `nets` (dense features already scaled)."""
    x = sparse.hstack([tf, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
    total = np.zeros((x.shape[0], len(LABELS)))
    for net in nets:
        logits = np.maximum(x @ net["w1"] + net["b1"], 0) @ net["w2"] + net["b2"]
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        total += probs / probs.sum(axis=1, keepdims=True)
    return total / len(nets)


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=range(len(LABELS)), average="macro"))


def report(name: str, gold: np.ndarray, pred: np.ndarray) -> str:
    g, p = [LABELS[i] for i in gold], [LABELS[i] for i in pred]
    return f"{name}: FNC {fnc_score(g, p):.4f}  macro-F1 {macro_f1(gold, pred):.4f}"


def select(train: Pairs) -> None:
    """Dev-set curves for choosing EPOCHS, with the baseline GBDT for reference."""
    from sklearn.ensemble import GradientBoostingClassifier

    fit, dev = dev_split(train)
    vocab = build_vocabulary(fit)
    tf_fit, dense_fit = featurize(fit, vocab)
    tf_dev, dense_dev = featurize(dev, vocab)
    y_fit, y_dev = labels_of(fit), labels_of(dev)
    mean, std = dense_fit.mean(axis=0), dense_fit.std(axis=0) + 1e-6
    gbdt = GradientBoostingClassifier(n_estimators=200, random_state=14128).fit(dense_fit[:, :44], y_fit)
    print(report("baseline GBDT (dev)", y_dev, gbdt.predict(dense_dev[:, :44])), flush=True)
    for seed in (1, 2):
        def evaluate(net: dict[str, np.ndarray], epoch: int, seed: int = seed) -> None:
            pred = predict([net], tf_dev, (dense_dev - mean) / std).argmax(axis=1)
            print(report(f"seed {seed} epoch {epoch:3d} (dev)", y_dev, pred), flush=True)

        fit_network(tf_fit, (dense_fit - mean) / std, y_fit, SELECT_EPOCHS, seed, evaluate)


def train_and_export(train: Pairs) -> None:
    """Fit ENSEMBLE networks on all of train and write the weights file."""
    vocab = build_vocabulary(train)
    tf, dense = featurize(train, vocab)
    mean, std = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    nets = []
    for seed in range(1, ENSEMBLE + 1):
        started = time.perf_counter()
        nets.append(fit_network(tf, (dense - mean) / std, labels_of(train), EPOCHS, seed))
        print(f"network {seed}/{ENSEMBLE}: {time.perf_counter() - started:.0f} s", flush=True)
    np.savez_compressed(
        WEIGHTS, terms=np.array(vocab.terms), idf=vocab.idf.astype(np.float32), stop=np.array(sorted(vocab.stop)),
        mean=mean.astype(np.float32), std=std.astype(np.float32),
        w1=np.stack([n["w1"] for n in nets]).astype(np.float16), b1=np.stack([n["b1"] for n in nets]),
        w2=np.stack([n["w2"] for n in nets]), b2=np.stack([n["b2"] for n in nets]))
    print(f"wrote {WEIGHTS} ({WEIGHTS.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--select", action="store_true", help="print dev-set curves instead of training")
    args = parser.parse_args()
    started = time.perf_counter()
    train = load_split("train")
    if args.select:
        select(train)
    else:
        train_and_export(train)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
