#!/usr/bin/env bash
# Prints the path of a working Python 3.12 interpreter (the Lambda runtime `sam build` builds for), or says how to
# get one and fails. Looks at PYTHON312, then PATH (a pyenv shim of a version not selected does not count), then
# pyenv's versions, then uv-managed interpreters, then the usual install places.
set -uo pipefail

works() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }

candidates=("${PYTHON312:-}" "$(command -v python3.12 2>/dev/null)")
pyenv_root="${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}"
for found in "$pyenv_root"/versions/3.12*/bin/python3.12; do candidates+=("$found"); done
if command -v uv >/dev/null 2>&1; then candidates+=("$(uv python find 3.12 2>/dev/null)"); fi
for found in "$HOME"/.local/share/uv/python/cpython-3.12*/bin/python3.12; do candidates+=("$found"); done
candidates+=(/usr/bin/python3.12 /usr/local/bin/python3.12 /opt/homebrew/bin/python3.12)

for python in "${candidates[@]}"; do
  if works "$python"; then
    echo "$python"
    exit 0
  fi
done

cat >&2 <<'HELP'
make build needs a Python 3.12 interpreter (the functions' Lambda runtime) and found none.
Get one in any of these ways, then run make build again (nothing needs to be selected or put on PATH):
  uv python install 3.12             # uv: https://docs.astral.sh/uv/
  pyenv install 3.12                 # pyenv
  sudo apt-get install python3.12    # Debian 13, Ubuntu 24.04
  brew install python@3.12           # macOS
or name one: make build PYTHON312=/path/to/python3.12
HELP
exit 1
