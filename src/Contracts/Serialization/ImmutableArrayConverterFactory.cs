using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sched.Contracts.Serialization;

/// <summary>
/// Writes a default (uninitialised) <see cref="ImmutableArray{T}"/> as <c>[]</c> instead of failing with a
/// NullReferenceException deep inside the remoting layer, and reads <c>null</c> as empty; it arrives as empty.
/// </summary>
public sealed class ImmutableArrayConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(ImmutableArrayConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class ImmutableArrayConverter<T> : JsonConverter<ImmutableArray<T>>
    {
        public override bool HandleNull => true;

        public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return [];
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"Expected an array for ImmutableArray<{typeof(T).Name}>, found {reader.TokenType}.");
            }

            var element = ElementInfo(options);
            var items = ImmutableArray.CreateBuilder<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(JsonSerializer.Deserialize(ref reader, element)!);
            }

            return items.DrainToImmutable();
        }

        public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            if (!value.IsDefault)
            {
                var element = ElementInfo(options);
                foreach (var item in value)
                {
                    JsonSerializer.Serialize(writer, item, element);
                }
            }

            writer.WriteEndArray();
        }

        private static JsonTypeInfo<T> ElementInfo(JsonSerializerOptions options) =>
            (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
