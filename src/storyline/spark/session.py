"""The SparkSession every job uses: `local[*]` by default, the cluster's master under `spark-submit`."""

from __future__ import annotations

import os
import sys

from pyspark.sql import SparkSession


def get_session(master: str | None = None, *, app_name: str = "storyline") -> SparkSession:
    """Start (or join) a SparkSession.

    `master=None` means the cluster's configuration when the driver runs under `spark-submit`
    (which sets PYSPARK_GATEWAY_PORT), and `local[*]` otherwise. Python workers started locally
    use this interpreter, so they see the same installed Storyline.
    """
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master).config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
