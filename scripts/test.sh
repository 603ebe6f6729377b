#!/usr/bin/env bash
# Set up the environment, then run the test suite (slow tests excluded; add -m slow for those).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest "$@"
