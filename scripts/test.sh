#!/usr/bin/env bash
# Run the test suite on MariaDB and Redis (see scripts/services.sh). Each run creates its own
# database (eoffice_test_<run>) and drops it at the end. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export OMP_THREAD_LIMIT=1
.venv/bin/python -m pytest "$@"
rc=$?
# pytest's exit 5 means no test was collected: that is a failure here.
[ $rc = 5 ] && { echo "No test was collected." >&2; exit 1; }
exit $rc
