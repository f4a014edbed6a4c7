#!/usr/bin/env bash
# Set up and run the whole test suite (reads ../shared for real-world data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -q "$@"
