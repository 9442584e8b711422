# Evaluates deploy/nixos/module.nix with the services.sched settings that deploy/nixos/flake-example.nix gives
# one node, against nixos-lib-stub.nix, and returns what the module would configure, as JSON:
#   nix-instantiate --eval --strict --json eval-example-node.nix --argstr repo /path/to/checkout --argstr node node2
# Settings the module does not declare, or of the wrong type, are listed rather than thrown, for the test.
# --arg overrides '{ user = "admin"; }' changes settings of that node, for a variant the example does not show.
{ repo, node, overrides ? { } }:
let
  lib = import ./nixos-lib-stub.nix;
  inherit (builtins) attrNames filter isAttrs isFunction mapAttrs;

  stubPackage = name: { outPath = "/nix/store/00000000000000000000000000000000-${name}"; type = "derivation"; inherit name; };
  pkgs = {
    stdenv = {
      mkDerivation = attrs: attrs // stubPackage "${attrs.pname}-${attrs.version}";
      cc.cc.lib = stubPackage "gcc-lib";
    };
    autoPatchelfHook = stubPackage "auto-patchelf-hook";
    makeWrapper = stubPackage "make-wrapper";
    openssl = stubPackage "openssl";
  };

  # NixOS's `utils` module argument (nixos/lib/utils.nix), the one function module.nix uses.
  utils.escapeSystemdExecArgs = args: builtins.concatStringsSep " "
    (map (arg: builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON arg)) args);

  flake = import (repo + "/deploy/nixos/flake-example.nix");
  outputs = flake.outputs { self = outputs; nixpkgs = { inherit lib; legacyPackages.aarch64-linux = pkgs; }; sched-src = repo; };
  # The node's modules: the owner's host file (a path) and the function that sets services.sched.
  schedModules = filter isFunction outputs.nixosConfigurations.${node}.modules;
  settings = (builtins.head schedModules { }).services.sched // overrides;

  module = import (repo + "/deploy/nixos/module.nix");
  options = (module { config = { }; inherit lib utils; }).options.services.sched;
  unknown = filter (name: !(options ? ${name})) (attrNames settings);
  badTypes = map (name: "${name}: expected ${options.${name}.type.name}")
    (filter (name: options ? ${name} && !(options.${name}.type.check settings.${name})) (attrNames settings));
  cfg = mapAttrs (name: option: settings.${name} or option.default or (throw "services.sched.${name} has no value and no default")) options;

  # mkIf resolved: a false condition leaves the value out (null here).
  resolve = value:
    if isAttrs value && (value._type or null) == "if" then (if value.condition then resolve value.content else null)
    else if isAttrs value && !(value ? outPath) then mapAttrs (_: resolve) value
    else value;
  config = resolve (module { config.services.sched = cfg; inherit lib utils; }).config;
  service = config.systemd.services.sched;
  guard = config.systemd.services.sched-guard;
in
{
  inherit node unknown badTypes;
  optionNames = attrNames options;
  failedAssertions = map (a: a.message) (filter (a: !a.assertion) config.assertions);
  podman = config.virtualisation.podman.enable;
  allowedTCPPorts = config.networking.firewall.allowedTCPPorts;
  environment = service.environment;
  execStart = service.serviceConfig.ExecStart;
  restart = service.serviceConfig.Restart;
  user = service.serviceConfig.User;
  guardUser = guard.serviceConfig.User;
  protectHome = service.serviceConfig.ProtectHome;
  lingers = let users = config.users.users or null; in
    if users == null then [ ] else builtins.attrNames (lib.filterAttrs (_: u: u.linger or false) users);
  userPodmanSocket = let wantedBy = config.systemd.user.sockets.podman.wantedBy or null; in if wantedBy == null then [ ] else wantedBy;
  stateDirectory = service.serviceConfig.StateDirectory;
  readWritePaths = service.serviceConfig.ReadWritePaths;
  protectSystem = service.serviceConfig.ProtectSystem;
  wants = service.wants;
  guardExecStart = guard.serviceConfig.ExecStart;
  guardRestart = guard.serviceConfig.Restart;
  guardEnvironment = guard.environment;
  guardWantedBy = guard.wantedBy;
}
