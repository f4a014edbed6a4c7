"""Crawl scale: the pipeline's own stage functions run as PySpark jobs.

The Spark layer is thin: it plans the inputs on the driver, hands one input (a
WARC file, say) to each task, and calls inside `mapPartitions` exactly the
functions the single-machine path calls (`sources.read`, `extract.extract`, the
cluster stage). Heavy objects (extraction and language models) load lazily once
per Python worker. pyspark is imported only inside this package, so the rest of
Storyline works without it (`pip install 'storyline[spark]'`).

- `session`: a SparkSession for `local[*]` or under `spark-submit`.
- `extract`: WARC/HTML/JSONL files -> articles and failures (Parquet).
- `load`: Parquet results -> the embedded database (`storyline import`).
"""
