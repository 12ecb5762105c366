# Shared set-up steps for bin/serve and bin/test (sourced, not run).
# Installs only what is missing, so a second run starts at once.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages by name; apt-get update runs once, and only if something is missing.
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> 安装系统软件包：${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# .venv with requirements.txt installed; reinstalls when requirements.txt changes.
ensure_venv() {
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "需要 Python 3.11 或更高版本（当前：$(python3 --version 2>&1)）。" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "==> 创建虚拟环境 .venv"
    python3 -m venv .venv 2>/dev/null || {
      ensure_debian_packages python3-venv
      python3 -m venv .venv
    }
  fi
  local stamp=.venv/.requirements.sha256 wanted
  wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> 安装 Python 依赖（requirements.txt）"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
    echo "$wanted" > "$stamp"
  fi
}
