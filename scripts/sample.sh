#!/usr/bin/env bash
# Set up, ingest the bundled sample corpus into sample.db, and show the stories and what to look at next.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/storyline ingest samples --db sample.db
.venv/bin/storyline entities --db sample.db --limit 10   # analyses every article once (facts are cached)
.venv/bin/storyline stories --db sample.db
cat <<'NEXT'

Stored in ./sample.db. Look next at:
  .venv/bin/storyline story 1 --db sample.db               # a story: its articles, copies, sources, dates
  .venv/bin/storyline report 1 --db sample.db -o story1.html   # the comparison as a standalone HTML report
  .venv/bin/storyline article 1 --db sample.db --removed   # clean text, metadata with evidence, stripped boilerplate
  .venv/bin/storyline facts 1 --db sample.db               # entities, places, numbers, quotes, times, events
  .venv/bin/storyline facts --story 1 --db sample.db --json   # every article's facts; the Norwegian report's by patterns
  .venv/bin/storyline errors --db sample.db                # inputs that could not be read
  .venv/bin/storyline serve --db sample.db                 # web UI on http://127.0.0.1:8000/
Every command takes --json.
NEXT
