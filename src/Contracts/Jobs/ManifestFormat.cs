namespace Sched.Contracts.Jobs;

public enum ManifestFormat { Json, Yaml }
