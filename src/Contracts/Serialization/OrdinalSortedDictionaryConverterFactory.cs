using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sched.Contracts.Serialization;

/// <summary>
/// Reads string-keyed <see cref="ImmutableSortedDictionary{TKey, TValue}"/>s (env, labels) back with the ordinal
/// key order every sender builds them with, instead of the culture comparer the default converter would use.
/// </summary>
public sealed class OrdinalSortedDictionaryConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>)
        && typeToConvert.GetGenericArguments()[0] == typeof(string);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(OrdinalSortedDictionaryConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[1]))!;

    private sealed class OrdinalSortedDictionaryConverter<TValue> : JsonConverter<ImmutableSortedDictionary<string, TValue>>
    {
        public override ImmutableSortedDictionary<string, TValue> Read(
            ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected an object for a string-keyed dictionary, found {reader.TokenType}.");
            }

            var valueInfo = ValueInfo(options);
            var entries = ImmutableSortedDictionary.CreateBuilder<string, TValue>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var key = reader.GetString()!;
                reader.Read();
                entries[key] = typeof(TValue) == typeof(string) && reader.TokenType == JsonTokenType.String
                    ? (TValue)(object)reader.GetString()!
                    : JsonSerializer.Deserialize(ref reader, valueInfo)!;
            }

            return entries.ToImmutable();
        }

        public override void Write(
            Utf8JsonWriter writer, ImmutableSortedDictionary<string, TValue> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            if (value is ImmutableSortedDictionary<string, string> texts)
            {
                // Env and labels: the common case, written without a per-entry serializer call.
                foreach (var (key, text) in texts)
                {
                    writer.WriteString(key, text);
                }
            }
            else
            {
                var valueInfo = ValueInfo(options);
                foreach (var (key, item) in value)
                {
                    writer.WritePropertyName(key);
                    JsonSerializer.Serialize(writer, item, valueInfo);
                }
            }

            writer.WriteEndObject();
        }

        private static JsonTypeInfo<TValue> ValueInfo(JsonSerializerOptions options) =>
            (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
    }
}
