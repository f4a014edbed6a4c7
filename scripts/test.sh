#!/usr/bin/env bash
# Set up (venv, Java for Spark, Chromium for browser tests) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,spark
bash scripts/ensure-java.sh
bash scripts/ensure-chromium.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -q "$@"
