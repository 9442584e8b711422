using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Configuration;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Serialization;

/// <summary>
/// Akka configuration that sends every <see cref="Sched.Contracts.Messages.ISchedMessage"/> through
/// <see cref="SchedMessageSerializer"/>, and names the message contexts it reads its <see cref="MessageCatalog"/> from.
/// </summary>
public static class SchedSerialization
{
    /// <summary>Merge into the actor system's HOCON; it only adds a serializer, one binding and its settings.</summary>
    public static readonly string Hocon = $$"""
        akka.actor {
          serializers {
            sched = "{{QualifiedName(typeof(SchedMessageSerializer))}}"
          }
          serialization-bindings {
            "Sched.Contracts.Messages.ISchedMessage, Sched.Contracts" = sched
          }
        }
        {{MessageContext("contracts", typeof(SchedMessageJsonContext))}}
        """;

    /// <summary>
    /// HOCON that adds an assembly's messages to the catalog: its source-generated context, under a
    /// <paramref name="key"/> of its own (settings of the same key replace each other; different keys add up).
    /// </summary>
    public static string MessageContext(string key, Type contextType) =>
        $"akka.actor.serialization-settings.sched.message-contexts.{key} = \"{QualifiedName(contextType)}\"";

    /// <summary>The catalog of every context named under <c>message-contexts</c>, in key order.</summary>
    internal static MessageCatalog CatalogFrom(Config settings)
    {
        var named = settings.GetConfig("message-contexts");
        if (named.IsNullOrEmpty())
        {
            return MessageCatalog.Contracts;
        }

        return new MessageCatalog(named.AsEnumerable()
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => ContextNamed(entry.Value.GetString())));
    }

    private static JsonSerializerContext ContextNamed(string typeName)
    {
        var type = Type.GetType(typeName)
            ?? throw new ConfigurationException($"sched message context '{typeName}' is not a type this process has.");
        return type.IsAssignableTo(typeof(JsonSerializerContext))
            && type.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is JsonSerializerContext context
            ? context
            : throw new ConfigurationException($"sched message context '{typeName}' is not a source-generated JsonSerializerContext.");
    }

    private static string QualifiedName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>How many bytes <paramref name="job"/> takes in a message on the wire, to cut a job list into frames.</summary>
    public static int SizeOnWire(JobView job) => JsonSerializer.SerializeToUtf8Bytes(job, SchedMessageJsonContext.Default.JobView).Length;
}
