#!/bin/sh
# The container image's steps, as a script: deploy/Dockerfile runs it (RUN sh deploy/image-setup.sh) and
# tests/unit/test_deploy.py runs it on the test machine, so the image's recipe cannot rot unnoticed.
#
# From the repository's root (the image's /app), as root:
#   1. the Debian packages of packages.txt (fonts-noto-cjk: Chinese in server-drawn figures), as Community
#      Cloud installs them, only those missing;
#   2. requirements.txt with pip, the same file Community Cloud installs;
#   3. a non-root user to run the app;
#   4. a check: the packages import, and matplotlib finds a CJK font.
#
# Environment: PYTHON (default python3), APP_USER (default app), APP_UID (default 10001).
set -eu

python="${PYTHON:-python3}"
app_user="${APP_USER:-app}"
app_uid="${APP_UID:-10001}"

missing=""
for package in $(grep -v '^[[:space:]]*#' packages.txt); do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "image-setup: apt-get install$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    rm -rf /var/lib/apt/lists/*
fi

echo "image-setup: pip install -r requirements.txt"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install -q --no-cache-dir -r requirements.txt

if ! id -u "$app_user" >/dev/null 2>&1; then
    echo "image-setup: user $app_user ($app_uid)"
    useradd --create-home --uid "$app_uid" --shell /usr/sbin/nologin "$app_user"
fi

"$python" - <<'PY'
import importlib

for name in ("streamlit", "numpy", "sympy", "matplotlib", "altair", "segno", "vl_convert"):
    importlib.import_module(name)
from matplotlib import font_manager

families = {font.name for font in font_manager.fontManager.ttflist}
assert any("CJK" in family for family in families), "matplotlib finds no CJK font (fonts-noto-cjk)"
print("image-setup: packages import, matplotlib finds a CJK font")
PY
