#!/usr/bin/env bash
# Set up the environment, then run the main job on a shipped weather series.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/tsrnn compare --dataset seattle-weather --target temp_max --out report "$@"
