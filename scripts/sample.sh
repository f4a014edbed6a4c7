#!/usr/bin/env bash
# Set up, ingest the bundled sample corpus into sample.db and show what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/storyline ingest samples --db sample.db
.venv/bin/storyline articles --db sample.db
cat <<'NEXT'

Stored in ./sample.db. Look next at:
  .venv/bin/storyline article 1 --db sample.db --removed   # clean text, metadata with evidence, stripped boilerplate
  .venv/bin/storyline errors --db sample.db                # inputs that could not be read
  .venv/bin/storyline pending --db sample.db               # link-only feed entries
  .venv/bin/storyline articles --db sample.db --json       # the same as JSON
NEXT
