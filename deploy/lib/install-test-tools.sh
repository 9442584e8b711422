#!/bin/sh
# Installs what the deploy tests (tests/EndToEnd/Deploy) need on Debian 12, as root. Safe to run again.
#   nix-bin           nix-instantiate --parse checks deploy/nixos/*.nix (no Nix store or daemon is used)
#   qemu-user-static  qemu-aarch64-static runs the linux-arm64 build (with -L SYSROOT, see arm64-sysroot.sh;
#                     binfmt_misc is not needed and not touched)
#   openssh-server    a private sshd on loopback (deploy/lib/loopback-sshd.sh) for the owner's ssh loop in
#                     tests/Benchmarks; the package's own service is kept from starting (policy-rc.d)
#   tshark            captures the cluster port in tests/EndToEnd/Security (TLS handshake, no cleartext)
#   docker-registry   loopback registries (one with an htpasswd login, from apache2-utils' htpasswd) that the
#   apache2-utils     registry pull tests in tests/EndToEnd/Images pull from; the package's service is kept
#                     from starting (policy-rc.d)
#   systemd           systemd-analyze verify checks deploy/systemd/sched-agent.service (already there on a
#                     Debian VM; systemd need not be running)
#   chromium,         the headless browser and its WebDriver (/usr/bin/chromium, /usr/bin/chromedriver, the same
#   chromium-driver   version) that tests/EndToEnd/Dashboard drive through Selenium; nothing is downloaded at test time
set -eu

PACKAGES="chromium chromium-driver nix-bin openssh-server qemu-user-static systemd tshark docker-registry apache2-utils"

say() { echo "install-test-tools: $*"; }

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  say "packages already installed: $PACKAGES"
  exit 0
fi

[ "$(id -u)" = 0 ] || { say "missing:$missing; installing them needs root"; exit 1; }
say "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# The machine's own sshd stays as it was: no service of the package is started (policy-rc.d answers 101).
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
fi
# --no-install-recommends: nix-bin recommends nix-setup-systemd (a nix-daemon service) that nothing here uses.
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing || { [ -z "$own_policy" ] || rm -f "$policy"; exit 1; }
[ -z "$own_policy" ] || rm -f "$policy"
say "ok: $(nix-instantiate --version), $(qemu-aarch64-static --version | head -n 1), $(systemd-analyze --version | head -n 1), $(chromedriver --version)"
