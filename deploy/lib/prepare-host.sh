#!/bin/sh
# Everything sched needs on this machine before it can build and run containers:
# podman with working settings, the .NET SDK, the podman API socket, and the local sample images.
# Used by deploy/demo.sh and tests/run.sh; safe to run again.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/install-podman.sh"
"$HERE/install-dotnet.sh"
"$HERE/install-prometheus.sh"
"$HERE/start-podman-socket.sh" /run/podman/podman.sock
"$HERE/../images/build.sh"
