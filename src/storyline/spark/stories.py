"""`storyline spark stories`: copies and stories over extracted articles, without an all-pairs step.

1. Blocking keys per article (the stage functions compute them): the MinHash LSH bands of the
   dedup stage's two fingerprints (word 4-gram shingles and content words, banded exactly as its
   `MinHashLSH` indexes band them, so every copy candidate pair shares a key), the exact-text
   hash, and the article's top entities (`cluster.featurize`) paired with its week — emitted for
   the week and the next, so that articles up to 7 days apart share a key.
2. Keys shared by more than `max_block` articles are dropped (stop-keys such as a wire agency's
   name: not evidence of one story, and quadratic); the others link articles into connected
   components, found by label propagation (no pairs are ever enumerated).
3. Each component is one block; a task runs the single-machine story placement on it unchanged
   (`cluster.assign.recluster` over an in-memory store: dedup, then online clustering in stream
   order), and the blocks' results are numbered globally (placement order = (date, id), story ids
   in order of their first article), as the single-machine run numbers them.

The clusterer's document frequencies are counted over all articles first (`collection_frequencies`,
terms of more than one article, and per language the length of its word tokens, which tells a
language written in syllables or characters: broadcast) and each block weighs its terms by them: the
rest of the collection counts as if it had come before the block's stream. The approximation: an article can
only join a story in its own block, and it sees the whole collection's frequencies where the single
machine sees those of the articles before it. When one block holds all articles the result is the
single-machine result exactly; docs/spark.md gives the measured cost on the evaluation sets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from datasketch import MinHash
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

from storyline.spark.extract import ORDER

if TYPE_CHECKING:
    from storyline.cluster.online import Frequencies

TOP_ENTITIES = 5
MAX_BLOCK = 2000
PLACEMENT_SCHEMA = StructType([
    StructField("id", LongType(), False),
    StructField("block", LongType(), False),
    StructField("block_story", LongType(), False),
    StructField("placed_on", StringType()),
    StructField("date_basis", StringType(), False),
    StructField("probability", DoubleType(), False),
    StructField("similarity", DoubleType(), False),
    StructField("story_title", StringType()),
    StructField("first_published", StringType()),
    StructField("last_published", StringType()),
    StructField("copy_of", LongType()),
    StructField("copy_of_source", StringType()),
    StructField("copy_similarity", DoubleType()),
    StructField("copy_kind", StringType()),
    StructField("date_suspect", StringType()),
    StructField("farm", ArrayType(StringType())),
])


@dataclass(frozen=True, slots=True)
class StoriesSummary:
    """Counts of one stories job."""

    articles: int
    blocks: int
    largest_block: int
    stories: int
    copies: int
    out: str

    def to_json(self) -> dict:
        return {"articles": self.articles, "blocks": self.blocks, "largest_block": self.largest_block,
                "stories": self.stories, "copies": self.copies, "out": self.out}

    def line(self) -> str:
        return (f"articles {self.articles}, blocks {self.blocks} (largest {self.largest_block}), "
                f"stories {self.stories}, copies {self.copies}")


@lru_cache(maxsize=4)
def _lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) that datasketch picks for this threshold: the dedup stage's own banding."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _band_keys(prefix: str, minhash: MinHash, threshold: float) -> list[str]:
    bands, rows = _lsh_shape(threshold, len(minhash.hashvalues))
    values = minhash.hashvalues
    return [f"{prefix}{band}:" + hashlib.blake2b(bytes(values[band * rows:(band + 1) * rows].byteswap().data),
                                                  digest_size=8).hexdigest() for band in range(bands)]


def blocking_keys(title: str | None, text: str, published: str | None, language: str | None) -> list[str]:
    """The candidate keys of one article (see the module docstring)."""
    from storyline.cluster.features import featurize
    from storyline.dedup.similarity import fingerprint

    fp = fingerprint(text)
    keys = [f"x:{fp.exact}"]
    if fp.length >= 8:  # the dedup stage indexes only these in its LSH
        keys += _band_keys("s", fp.shingle_hash, 0.3) + _band_keys("w", fp.word_hash, 0.5)
    try:
        week = date.fromisoformat((published or "")[:10]).toordinal() // 7
    except ValueError:
        week = None
    entities = featurize(title, text, day=None, language=language).entities
    named = (e for e in entities if e[:1] not in "#@~")  # names, not numbers, dates or name skeletons
    top = sorted(named, key=lambda e: (-entities[e], e))[:TOP_ENTITIES]
    for entity in top:
        keys += [f"e:{entity}:{w}" for w in ((week, week + 1) if week is not None else ("undated",))]
    return keys


def _keys_of_partition(rows: Iterable[Row]) -> Iterator[tuple[int, str]]:
    for row in rows:
        for key in blocking_keys(row["title"], row["text"], row["published"], row["language"]):
            yield row["id"], key


def components(edges: DataFrame, ids: DataFrame) -> DataFrame:
    """(id, block): the smallest article id of each connected component of the article-key graph."""
    labels = ids.select("id", F.col("id").alias("block")).localCheckpoint()
    while True:
        by_key = edges.join(labels, "id").groupBy("key").agg(F.min("block").alias("low"))
        lowest = edges.join(by_key, "key").groupBy("id").agg(F.min("low").alias("low"))
        updated = (labels.join(lowest, "id", "left")
                   .select("id", F.least("block", F.coalesce("low", "block")).alias("block")).localCheckpoint())
        changed = updated.join(labels.withColumnRenamed("block", "old"), "id").where("block != old").count()
        labels = updated
        if changed == 0:
            return labels


_LANGUAGE_DOCS = "\2"  # key prefix of the article count per language in `_term_counts`
_LANGUAGE_CHARS = "\3"  # ... of the characters of its word tokens (`token_length`)
_LANGUAGE_TOKENS = "\4"  # ... of its word tokens
_PER_LANGUAGE = (_LANGUAGE_DOCS, _LANGUAGE_CHARS, _LANGUAGE_TOKENS)


def _term_counts(rows: Iterable[Row]) -> Iterator[tuple[str, float]]:
    from storyline.cluster.features import featurize
    from storyline.cluster.online import term_keys, token_length

    for row in rows:  # the features `recluster` computes (words and names do not depend on the day)
        features = featurize(row["title"], row["text"], day=None, language=row["language"])
        language = features.language or ""
        chars, tokens = token_length(features)
        yield _LANGUAGE_DOCS + language, 1
        yield _LANGUAGE_CHARS + language, chars
        yield _LANGUAGE_TOKENS + language, tokens
        for key in term_keys(features):
            yield key, 1


def collection_frequencies(articles: DataFrame) -> Frequencies:
    """The clusterer's document frequencies over all `articles`, without the terms of a single article (they
    weigh nothing in any other block, and are most of the vocabulary)."""
    from storyline.cluster.online import Frequencies

    counts = (articles.select("title", "text", "language").rdd.mapPartitions(_term_counts)
              .reduceByKey(lambda a, b: a + b).filter(lambda kv: kv[1] > 1 or kv[0][0] in _PER_LANGUAGE).collect())

    def per_language(prefix: str) -> dict:
        return {k[1:]: n for k, n in counts if k[0] == prefix}

    language_docs = per_language(_LANGUAGE_DOCS)
    return Frequencies(sum(language_docs.values()), language_docs,
                       {k: n for k, n in counts if k[0] not in _PER_LANGUAGE}, per_language(_LANGUAGE_CHARS),
                       per_language(_LANGUAGE_TOKENS))


def place_blocks(rows: Iterable[Row], collection: Frequencies | None = None) -> Iterator[tuple]:
    """Run the single-machine placement (`recluster`, weighing terms by `collection`) on each block of a
    partition sorted by (block, id)."""
    block: list[Row] = []
    for row in rows:
        if block and row["block"] != block[0]["block"]:
            yield from _place(block, collection)
            block = []
        block.append(row)
    if block:
        yield from _place(block, collection)


def _place(block: list[Row], collection: Frequencies | None = None) -> Iterator[tuple]:
    from storyline.cluster.assign import recluster
    from storyline.models import Article
    from storyline.spark.load import ARTICLE_COLUMNS
    from storyline.store import Store
    from storyline.store import stories as story_store

    with Store(":memory:") as store:
        global_id = {}
        for row in block:
            local = store.add_article(Article(**{name: row[name] for name in ARTICLE_COLUMNS}),
                                      raw_hash=row["raw_hash"])
            global_id[local] = row["id"]
        recluster(store, collection)
        stories = {s.id: s for s in story_store.stories(store)}
        ids = list(global_id)
        copies = {c.article_id: c for c in story_store.copies(store, ids)}
        flags = {f.article_id: f for f in story_store.flags(store, ids)}
        for placed in story_store.placements(store):
            story, copy, flag = stories[placed.story_id], copies.get(placed.article_id), flags.get(placed.article_id)
            yield (global_id[placed.article_id], block[0]["block"], placed.story_id, placed.placed_on,
                   placed.date_basis, float(placed.probability), float(placed.similarity), story.title,
                   story.first_published, story.last_published,
                   global_id.get(copy.copy_of) if copy and copy.copy_of is not None else None,
                   copy.copy_of_source if copy else None, float(copy.similarity) if copy else None,
                   copy.kind if copy else None, flag.date_suspect if flag else None,
                   list(flag.farm) if flag else None)


def numbered(frame: DataFrame, name: str, *order: str | Column) -> DataFrame:
    """`frame` with a column `name` = 1, 2, ... in `order` (zipWithIndex: no single-partition window)."""
    schema = StructType([*frame.schema.fields, StructField(name, LongType(), False)])
    return frame.sparkSession.createDataFrame(
        frame.orderBy(*order).rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + 1)), schema)


def blocks_of(spark: SparkSession, articles: DataFrame, max_block: int) -> DataFrame:
    """(id, block) for every article: the connected components of the article-key graph."""
    edges = spark.createDataFrame(
        articles.select("id", "title", "text", "published", "language").rdd.mapPartitions(_keys_of_partition),
        "id long, key string")
    sizes = edges.groupBy("key").count().where(f"count > 1 AND count <= {max_block}").select("key")
    edges = edges.join(sizes, "key").persist(StorageLevel.MEMORY_AND_DISK)
    try:
        return components(edges, articles.select("id"))
    finally:
        edges.unpersist()


def run_stories(spark: SparkSession, articles_path: str, out: str, *, max_block: int = MAX_BLOCK,
                blocking: bool = True) -> StoriesSummary:
    """Place the articles at `articles_path` (a `spark extract` output) into stories; write `out` (overwritten).

    `blocking=False` puts every article in one block: the single-machine result, in one task.
    """
    articles = numbered(spark.read.parquet(articles_path), "id", *ORDER).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        blocks = (blocks_of(spark, articles, max_block) if blocking
                  else articles.select("id", F.lit(1).cast("long").alias("block")))
        collection = spark.sparkContext.broadcast(collection_frequencies(articles))
        grouped = articles.join(blocks, "id").repartition("block").sortWithinPartitions("block", "id")
        placed = numbered(spark.createDataFrame(grouped.rdd.mapPartitions(lambda rows: place_blocks(
            rows, collection.value)), PLACEMENT_SCHEMA), "seq", "placed_on", "id").persist(StorageLevel.MEMORY_AND_DISK)
        first = numbered(placed.groupBy("block", "block_story").agg(F.min("seq").alias("first_seq")),
                         "story_id", "first_seq").drop("first_seq")
        result = articles.join(placed.join(first, ["block", "block_story"]).drop("block_story"), "id").orderBy("id")
        result.write.mode("overwrite").parquet(out)
        placed.unpersist()
        collection.unpersist()
    finally:
        articles.unpersist()
    written = spark.read.parquet(out)
    stats = written.agg(F.count("*").alias("articles"), F.countDistinct("story_id").alias("stories"),
                        F.count("copy_kind").alias("copies"), F.countDistinct("block").alias("blocks")).first()
    largest = written.groupBy("block").count().agg(F.max("count")).first()[0] or 0
    return StoriesSummary(stats["articles"], stats["blocks"], largest, stats["stories"], stats["copies"], out)
