#!/bin/sh
# Installs Debian's prometheus package (as root): the prometheus server and promtool, which the metrics
# tests run themselves. The package's own service is disabled and stopped: tests start their own
# prometheus on a free port with a temporary config, and nothing here should scrape or listen on :9090.
# Safe to run again.
set -eu

say() { echo "install-prometheus: $*"; }

installed() { dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q "install ok installed"; }

if [ "$(id -u)" != 0 ]; then
  if ! installed || ! command -v promtool >/dev/null 2>&1; then
    say "prometheus is missing; installing it needs root"
    exit 1
  fi
  say "prometheus already installed (not root: its service left as it is)"
  exit 0
fi

if installed; then
  say "prometheus already installed"
else
  say "installing prometheus"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # policy-rc.d exit 101 keeps invoke-rc.d from starting the service while the package installs.
  policy=/usr/sbin/policy-rc.d
  if [ -e "$policy" ]; then
    apt-get install -y -q --no-install-recommends prometheus
  else
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
    apt-get install -y -q --no-install-recommends prometheus
    rm -f "$policy"
    trap - EXIT
  fi
fi

# Keep the packaged service from starting at boot (systemctl disable works without a running systemd),
# and stop it if the install started it.
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable prometheus.service >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then
    systemctl stop prometheus.service >/dev/null 2>&1 || true
  fi
fi
if [ -x /etc/init.d/prometheus ]; then
  /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  update-rc.d prometheus disable >/dev/null 2>&1 || true
fi
say "the packaged prometheus service is disabled and stopped"

command -v promtool >/dev/null 2>&1 || { say "promtool is missing after the install"; exit 1; }
say "ok: $(prometheus --version 2>&1 | head -n 1)"
