# How to add sched to the cluster's flake.nix: the parts marked "sched" go into the owner's existing flake.
# Not a flake of its own (it is not named flake.nix); tests/EndToEnd/Deploy parses it and checks its
# services.sched settings against module.nix.
#
# node1..node3: seeds, scheduler nodes and workers, HTTP API on 0.0.0.0:4080 (for `SCHED_ADDR=http://node1.local:4080
# sched nodes` from the desktop, or `--addr node1.local:4080,node2.local:4080` to fail over); node4..node7: workers.
# Three seeds, so a restart of node1 alone rejoins the cluster of the others; three scheduler nodes, so the
# scheduler and its replicated state survive the loss of any one. All seven are aarch64 (Odroid) and reach each
# other as nodeK.local (mDNS) on TCP 4053.
#
# The package. sched is built on a development machine with `deploy/publish.sh` (self-contained linux-arm64;
# see the reasons there), which writes artifacts/sched-linux-arm64.tar.gz; this flake installs exactly that
# tree - the same bytes the tests ran under qemu - and patches it for NixOS (a plain linux-arm64 build expects
# /lib/ld-linux-aarch64.so.1 and finds libstdc++ in /usr/lib). Copy the tarball next to this flake.nix and
# `git add` it (a flake sees only tracked files), or publish it somewhere and use fetchurl with its hash.
# Why not buildDotnetModule (building from source inside Nix): it needs a .NET 10 SDK from the flake's
# nixpkgs - nixos-25.05 does not appear to carry a released .NET 10 - plus a generated lock file of every
# NuGet package (deps.json, made with the package's fetch-deps script on a machine with Nix). Once the cluster
# follows a nixpkgs with dotnetCorePackages.sdk_10_0 (nixos-25.11), that is the cleaner way; this derivation
# is what works today.
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    # sched: the repository, for deploy/nixos/module.nix (not a flake itself).
    sched-src = {
      url = "git+ssh://git@example.internal/owner/sched.git";
      flake = false;
    };
  };

  outputs = { self, nixpkgs, sched-src, ... }:
    let
      system = "aarch64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      inherit (nixpkgs) lib;

      # sched: the published linux-arm64 tree, patched to run on NixOS.
      sched = pkgs.stdenv.mkDerivation {
        pname = "sched";
        version = "0.1.0";
        # From deploy/publish.sh; it unpacks to sched/. Or:
        #   src = pkgs.fetchurl { url = "https://.../sched-linux-arm64.tar.gz"; hash = "sha256-..."; };
        src = ./sched-linux-arm64.tar.gz;

        nativeBuildInputs = [ pkgs.autoPatchelfHook pkgs.makeWrapper ];
        # What the published ELF files link besides glibc: libstdc++ and libgcc_s (runtime, apphost).
        buildInputs = [ pkgs.stdenv.cc.cc.lib ];
        dontConfigure = true;
        dontBuild = true;
        # Install the published binaries exactly as built (only their interpreter and RPATH are patched).
        dontStrip = true;

        installPhase = ''
          runHook preInstall
          mkdir -p $out/lib/sched $out/bin
          cp -r . $out/lib/sched
          # LTTng tracing support; it needs liblttng-ust.so.0 and the runtime runs without it.
          rm -f $out/lib/sched/libcoreclrtraceptprovider.so
          # The runtime loads OpenSSL (cryptography) with dlopen, which autoPatchelfHook does not see.
          # No ICU: sched is built with invariant globalization.
          makeWrapper $out/lib/sched/sched $out/bin/sched \
            --prefix LD_LIBRARY_PATH : ${lib.makeLibraryPath [ pkgs.openssl ]}
          runHook postInstall
        '';

        meta = {
          description = "Distributed scheduler for sharded podman containers";
          platforms = [ "aarch64-linux" ];
          mainProgram = "sched";
        };
      };

      # sched: the settings every node shares; only the per-node lines differ.
      schedNode = name: { ... }: {
        imports = [ "${sched-src}/deploy/nixos/module.nix" ];
        services.sched = {
          enable = true;
          package = sched;
          # The module's default, spelled out: every node lists the same three, node1 first.
          seeds = [ "node1.local:4053" "node2.local:4053" "node3.local:4053" ];
          # The name the other boards use (mDNS), not the bare hostname: NixOS maps its own hostname to
          # 127.0.0.2 in /etc/hosts, and the agent binds its cluster port to the address of this name.
          host = "${name}.local";
          nodeName = name;
          openFirewall = true;
          # Mutual TLS between the boards, from the cluster's own CA. On the desktop, once: `sched cert init`;
          # per board: `sched cert issue nodeK --san nodeK.local`, then copy sched-ca/nodeK/* to the board's
          # /var/lib/sched/tls (mode 0600, root) - or give them as agenix secrets and point tlsDir there.
          # Never a Nix path: it would put the key into the world-readable store.
          tlsDir = "/var/lib/sched/tls";
          # reserveMemory = "512Mi"; reserveCpus = "0.5";   # the agent's defaults; per board if needed
        } // lib.optionalAttrs (builtins.elem name [ "node1" "node2" "node3" ]) {
          roles = [ "scheduler" "worker" ];
          http = "0.0.0.0:4080";
          # The HTTP API token: the same file on the three scheduler nodes (mode 0600, outside the Nix store;
          # make it once as the README says, or e.g. tokenFile = config.age.secrets.sched-token.path).
          tokenFile = "/etc/sched/api-token";
        } // lib.optionalAttrs (name == "node1") {
          labels = { disk = "ssd"; };
        };
        # nodeK.local must resolve on every board. If the boards do not do mDNS yet:
        #   services.avahi = { enable = true; nssmdns4 = true; publish = { enable = true; addresses = true; }; };
      };

      nodeNames = map (k: "node${toString k}") (lib.range 1 7);
    in
    {
      packages.${system}.sched = sched;

      nixosConfigurations = lib.genAttrs nodeNames (name: lib.nixosSystem {
        inherit system;
        modules = [
          # The owner's existing configuration of this board (hardware, users, networking.hostName = name ...).
          ./hosts/${name}/configuration.nix
          (schedNode name)
        ];
      });
    };
}
