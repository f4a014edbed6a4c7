"""`storyline spark extract`: inputs -> articles and failures as Parquet, one Spark task per input file.

The driver only expands the inputs (`sources.expand`, as `storyline ingest` does). Each task
reads its file with `sources.read` — for a WARC, record by record, so memory stays flat — and
extracts every document with `extract.extract`: the single-machine functions, unchanged.
A corrupt or truncated record becomes a row of the failures output (the reason names the
record), never a failed task. Articles are keyed by publication as in the store: the first
occurrence in input order wins and later reads of it count as duplicates, so importing the output
gives the database `storyline ingest` gives. Outputs are written with mode overwrite: a re-run
over the same input replaces them with the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, DoubleType, IntegerType, StringType, StructField, StructType

from storyline import sources
from storyline.models import Article, Failure, PendingUrl
from storyline.pipeline import extract_item

_ARTICLE_FIELDS = [
    StructField("content_hash", StringType()),
    StructField("publication", StringType()),
    StructField("raw_hash", StringType()),
    StructField("url", StringType()),
    StructField("title", StringType()),
    StructField("published", StringType()),
    StructField("published_evidence", StringType()),
    StructField("published_confidence", DoubleType()),
    StructField("publisher", StringType()),
    StructField("authors", ArrayType(StringType())),
    StructField("credited", ArrayType(StringType())),
    StructField("language", StringType()),
    StructField("text", StringType()),
    StructField("removed", ArrayType(StringType())),
    StructField("captions", ArrayType(StringType())),
    StructField("format", StringType()),
    StructField("fetched", StringType()),
]
# One row per record read: an article (reason null) or a failure (article fields null).
RECORD_SCHEMA = StructType([
    StructField("input_no", IntegerType(), False),  # position of the input in the expanded input list
    StructField("record_no", IntegerType(), False),  # position of the record within its input
    StructField("source", StringType(), False),
    StructField("reason", StringType()),
    *_ARTICLE_FIELDS,
])
ORDER = ("input_no", "record_no")
_NO_ARTICLE = (None,) * (len(_ARTICLE_FIELDS) - 3)


@dataclass(frozen=True, slots=True)
class ExtractSummary:
    """Counts of one extraction job."""

    inputs: int
    records: int  # documents read
    articles: int  # distinct articles written
    duplicates: int  # documents whose publication an earlier one already was
    failed: int  # rows of the failures output
    out: str
    failures: str

    def to_json(self) -> dict:
        return {"inputs": self.inputs, "read": self.records, "new": self.articles, "duplicates": self.duplicates,
                "failed": self.failed, "out": self.out, "failures": self.failures}

    def line(self) -> str:
        return (f"inputs {self.inputs}, read {self.records}, articles {self.articles}, "
                f"duplicates {self.duplicates}, failed {self.failed}")


def failures_path(out: str) -> str:
    """Where the failures go by default: `articles.parquet` -> `articles.failures.parquet`."""
    stem = out.rstrip("/")
    stem = stem[: -len(".parquet")] if stem.endswith(".parquet") else stem
    return f"{stem}.failures.parquet"


def extract_record(item: sources.Item) -> Article | Failure:
    """Extract one document as the ingest pipeline does: an Article, or a Failure with the reason."""
    if isinstance(item, Failure):
        return item
    if isinstance(item, PendingUrl):
        return Failure(item.url, f"link-only feed entry in {item.source}: fetch it with `storyline ingest URL`")
    return extract_item(item)


def read_inputs(tasks: Iterable[tuple[int, sources.Input | Failure]]) -> Iterator[tuple]:
    """The body of every task: read each input and extract its documents into record rows."""
    for input_no, entry in tasks:
        items = [entry] if isinstance(entry, Failure) else sources.read(entry)
        for record_no, item in enumerate(items, start=1):
            raw_hash = item.raw_hash if not isinstance(item, Failure | PendingUrl) else None
            found = extract_record(item)
            if isinstance(found, Failure):
                yield (input_no, record_no, found.source, found.reason, None, None, raw_hash, *_NO_ARTICLE)
            else:
                yield (input_no, record_no, found.source, None, found.content_hash, found.publication_key, raw_hash,
                       found.url, found.title, found.published, found.published_evidence,
                       float(found.published_confidence), found.publisher, found.authors, found.credited,
                       found.language, found.text, found.removed, found.captions, found.format, found.fetched)


def records(spark: SparkSession, specs: Sequence[str]) -> tuple[DataFrame, int]:
    """All record rows of the inputs `specs` names (lazy), and the number of inputs."""
    tasks = list(enumerate(sources.expand(specs)))
    rdd = spark.sparkContext.parallelize(tasks, max(1, len(tasks))).mapPartitions(read_inputs)
    return spark.createDataFrame(rdd, RECORD_SCHEMA), len(tasks)


def unique_articles(rows: DataFrame) -> DataFrame:
    """Article rows, one per publication (the first in input order), in input order."""
    first = Window.partitionBy("publication").orderBy(*ORDER)
    return (rows.where(F.col("reason").isNull()).drop("reason")
            .withColumn("_rank", F.row_number().over(first)).where("_rank = 1").drop("_rank")
            .orderBy(*ORDER))


def run_extract(spark: SparkSession, specs: Sequence[str], out: str, failures: str | None = None) -> ExtractSummary:
    """Extract everything `specs` names into Parquet at `out` (articles) and `failures` (overwritten)."""
    failures = failures or failures_path(out)
    rows, inputs = records(spark, specs)
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts = rows.agg(F.count("raw_hash").alias("read"), F.count("reason").alias("failed"),
                          F.count("content_hash").alias("extracted")).first()
        articles = unique_articles(rows)
        articles.write.mode("overwrite").parquet(out)
        written = spark.read.parquet(out).count()
        (rows.where(F.col("reason").isNotNull()).select(*ORDER, "source", "reason").orderBy(*ORDER)
         .coalesce(1).write.mode("overwrite").parquet(failures))
    finally:
        rows.unpersist()
    return ExtractSummary(inputs=inputs, records=counts["read"], articles=written,
                          duplicates=counts["extracted"] - written, failed=counts["failed"], out=out, failures=failures)
