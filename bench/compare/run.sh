#!/usr/bin/env bash
# bench/compare end to end: redis and bench/compare's packages (setup.sh), DocumentDB and RabbitMQ
# (scripts/test-services.sh), then the comparison. Arguments go to compare.ts:
#   bash bench/compare/run.sh [--quick] [--only a,b] [--systems hayon-embedded,bullmq]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/compare/setup.sh
bash scripts/test-services.sh
exec npx tsx bench/compare/compare.ts "$@"
