# A small stand-in for the parts of nixpkgs' lib that deploy/nixos/*.nix use, for evaluating them on a machine
# without nixpkgs (Debian's nix-bin has no channels). Option types check values the way NixOS's do for these
# simple types; mkIf keeps its condition so the evaluator can resolve it. Not NixOS's module system: no merging,
# no priorities. A name missing here fails the evaluation ("attribute ... missing"): add it, faithfully.
let
  inherit (builtins)
    all attrNames attrValues concatStringsSep elem elemAt filter genList isAttrs isBool isInt isList isString
    length listToAttrs match replaceStrings split stringLength substring;

  mkType = name: check: { inherit name check; };
in
rec {
  inherit concatStringsSep;

  types = {
    str = mkType "string" isString;
    bool = mkType "boolean" isBool;
    port = mkType "16 bit unsigned integer" (v: isInt v && v >= 0 && v <= 65535);
    package = mkType "package" (v: isAttrs v && v ? outPath);
    nullOr = t: mkType "null or ${t.name}" (v: v == null || t.check v);
    listOf = t: mkType "list of ${t.name}" (v: isList v && all t.check v);
    attrsOf = t: mkType "attribute set of ${t.name}" (v: isAttrs v && all t.check (attrValues v));
    enum = values: mkType "one of ${concatStringsSep ", " values}" (v: elem v values);
  };

  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: mkOption { type = types.bool; default = false; description = "Whether to enable ${name}."; };
  literalExpression = text: { _type = "literalExpression"; inherit text; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };

  optional = condition: value: if condition then [ value ] else [ ];
  optionalAttrs = condition: set: if condition then set else { };
  filterAttrs = pred: set:
    listToAttrs (map (name: { inherit name; value = set.${name}; }) (filter (name: pred name set.${name}) (attrNames set)));
  mapAttrsToList = f: set: map (name: f name set.${name}) (attrNames set);
  genAttrs = names: f: listToAttrs (map (name: { inherit name; value = f name; }) names);
  range = first: last: genList (i: first + i) (last - first + 1);
  last = list: elemAt list (length list - 1);
  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  splitString = sep: s:
    filter isString (split (replaceStrings [ "." "[" "]" "(" ")" "*" "+" "?" "|" "^" "$" ] [ "\\." "\\[" "\\]" "\\(" "\\)" "\\*" "\\+" "\\?" "\\|" "\\^" "\\$" ] sep) s);
  toInt = s:
    if match "[0-9]+" s != null then builtins.fromJSON s
    else throw "toInt: '${s}' is not a whole number";
  makeLibraryPath = packages: concatStringsSep ":" (map (p: "${p}/lib") packages);
  nixosSystem = args: args;
}
