"""`storyline import`: load Parquet results of the Spark jobs into the embedded database.

What a dataset holds is told by its columns: failure rows (`reason`), article rows (`text`,
from `spark extract`) or article rows with their story and copy (`story_id`, from `spark
stories`). Rows are read in input order and stored through the same `Store` methods
`storyline ingest` uses, so an empty database ends up as `storyline ingest` over the same
input would leave it, and a second import adds nothing. Articles imported without stories
are placed as ingest places them (`cluster.assign.assign_new_articles`); a stories dataset
replaces the database's stories with the Spark job's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pyspark.sql import DataFrame, SparkSession

from storyline.cluster.assign import assign_new_articles
from storyline.models import Article, ArticleFlags, CopyLink, Failure
from storyline.spark.extract import ORDER
from storyline.store import Store
from storyline.store import stories as story_store

ARTICLE_COLUMNS = ("source", "url", "title", "published", "published_evidence", "published_confidence", "publisher",
                   "authors", "credited", "language", "text", "removed", "captions", "format", "fetched")


@dataclass(slots=True)
class ImportSummary:
    """What an import added."""

    new: int = 0
    duplicates: int = 0  # articles the database already had
    failures: int = 0
    stories: int = 0  # stories written from a stories dataset
    datasets: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"articles new {self.new}, duplicates {self.duplicates}, failures {self.failures}, "
                f"stories {self.stories}")

    def to_json(self) -> dict:
        return {"new": self.new, "duplicates": self.duplicates, "failures": self.failures, "stories": self.stories,
                "datasets": self.datasets}


def run_import(spark: SparkSession, paths: Sequence[str], store: Store,
               on_row: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Store the rows of every Parquet dataset in `paths`, in input order; `on_row` is called after each row."""
    summary = ImportSummary()
    frames = [(path, spark.read.parquet(path)) for path in paths]
    for path, frame in frames:
        columns = set(frame.columns)
        if "reason" in columns:
            for row in frame.orderBy(*ORDER).toLocalIterator():
                store.add_failure(Failure(row["source"], row["reason"]))
                summary.failures += 1
                if on_row:
                    on_row(summary)
        elif "story_id" in columns:
            summary.stories += _import_stories(frame, store, summary, on_row)
        elif "text" in columns:
            _import_articles(frame.orderBy(*ORDER), store, summary, on_row)
        else:
            raise ValueError(f"{path}: not a Storyline Spark output (columns: {', '.join(sorted(columns))})")
        summary.datasets.append(path)
    if not any("story_id" in frame.columns for _, frame in frames):
        assign_new_articles(store)
    return summary


def _import_articles(frame: DataFrame, store: Store, summary: ImportSummary,
                     on_row: Callable[[ImportSummary], None] | None) -> dict[int, int]:
    """Add the article rows in frame order; return dataset id -> database id when the rows carry an id."""
    ids = {}
    keyed = "id" in frame.columns
    for row in frame.toLocalIterator():
        article = Article(**{name: row[name] for name in ARTICLE_COLUMNS})
        stored = store.add_article(article, raw_hash=row["raw_hash"])
        if stored is None:
            summary.duplicates += 1
            stored = store.db.execute("SELECT id FROM articles WHERE publication = ?",
                                      (article.publication_key,)).fetchone()[0]
        else:
            summary.new += 1
            store.clear_failures(article.source)
        if keyed:
            ids[row["id"]] = stored
        if on_row:
            on_row(summary)
    return ids


def _import_stories(frame: DataFrame, store: Store, summary: ImportSummary,
                    on_row: Callable[[ImportSummary], None] | None) -> int:
    """Add the articles of a stories dataset and replace the database's stories with the dataset's."""
    ids = _import_articles(frame.orderBy("id"), store, summary, on_row)
    if store.count_articles() != len(set(ids.values())):
        raise ValueError("the database holds articles this stories dataset does not place: import it into a new "
                         "database (or import the articles alone to place them incrementally)")
    placed, members, stories, links, flags = [], {}, {}, [], []
    for row in frame.select("id", "story_id", "seq", "placed_on", "date_basis", "probability", "similarity",
                            "story_title", "first_published", "last_published", "copy_of", "copy_of_source",
                            "copy_similarity", "copy_kind", "date_suspect", "farm").orderBy("seq").toLocalIterator():
        article_id = ids[row["id"]]
        placed.append(story_store.Placed(article_id, row["story_id"], row["seq"], row["placed_on"], row["date_basis"],
                                         row["probability"], row["similarity"]))
        members.setdefault(row["story_id"], []).append(article_id)
        stories[row["story_id"]] = (row["story_title"], row["first_published"], row["last_published"])
        if row["copy_kind"]:
            links.append(CopyLink(article_id, ids.get(row["copy_of"]), row["copy_of_source"], row["copy_similarity"],
                                  row["copy_kind"]))
        if row["date_suspect"] or row["farm"]:
            flags.append(ArticleFlags(article_id, row["date_suspect"], tuple(row["farm"] or ())))
    rows = [story_store.StoryRow(story_id, title, members[story_id], first, last)
            for story_id, (title, first, last) in sorted(stories.items())]
    story_store.replace_all(store, placed, rows, sorted(links, key=lambda c: c.article_id),
                            sorted(flags, key=lambda f: f.article_id))
    return len(rows)
