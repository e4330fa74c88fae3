#!/usr/bin/env bash
# Installs the Python peers `tessera bench --compare numpy,torch` runs beside Tessera — NumPy and a
# CPU-only PyTorch — into .peers/ (a virtual environment in the repository, ignored by git), which
# `tessera bench` uses when run from the repository root. Safe to run again: it only installs what is
# missing. Needs python3 with the venv module (Debian: python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

torch_version="2.13.0"
venv=.peers
if ! command -v python3 >/dev/null 2>&1; then
    echo "install-peers: python3 not found; the peers will be reported as skipped" >&2
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || {
        echo "install-peers: cannot create a virtual environment (apt install python3-venv); the peers will be reported as skipped" >&2
        exit 0
    }
fi
py="$venv/bin/python"
"$py" -m pip --version >/dev/null 2>&1 || { echo "install-peers: pip missing in $venv" >&2; exit 1; }

if ! "$py" -c "import numpy" >/dev/null 2>&1; then
    "$py" -m pip install --quiet --disable-pip-version-check numpy
fi
if ! "$py" -c "import torch" >/dev/null 2>&1; then
    # The CPU-only build (about 190 MB, where the default wheel pulls in gigabytes of CUDA libraries):
    # from PyTorch's own index, or as the "+cpu" version a mirror of it may carry.
    "$py" -m pip install --quiet --disable-pip-version-check --timeout 30 \
        --index-url https://download.pytorch.org/whl/cpu "torch==${torch_version}" 2>/dev/null \
    || "$py" -m pip install --quiet --disable-pip-version-check "torch==${torch_version}+cpu"
fi
"$py" -c "import numpy, torch; print('peers: numpy', numpy.__version__, '· torch', torch.__version__)"
