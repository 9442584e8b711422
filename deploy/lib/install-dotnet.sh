#!/bin/sh
# Makes sure the .NET 10 SDK is on PATH (Debian 12, as root). Safe to run again.
# Debian does not package .NET; on a machine without it this adds Microsoft's Debian 12 package
# source and installs dotnet-sdk-10.0 from there.
set -eu

say() { echo "install-dotnet: $*"; }

has_sdk() { command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; }

if has_sdk; then
  say "ok: .NET SDK $(dotnet --version)"
  exit 0
fi

[ "$(id -u)" = 0 ] || { say "the .NET 10 SDK is missing and installing it needs root"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q curl ca-certificates
deb=$(mktemp --suffix=.deb)
if curl -fsSL -o "$deb" https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb \
  && dpkg -i "$deb" && apt-get update -q && apt-get install -y -q dotnet-sdk-10.0; then
  rm -f "$deb"
  say "installed .NET SDK $(dotnet --version)"
else
  rm -f "$deb"
  say "could not install the .NET 10 SDK from Microsoft's package source."
  say "install it by hand (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run this again."
  exit 1
fi
