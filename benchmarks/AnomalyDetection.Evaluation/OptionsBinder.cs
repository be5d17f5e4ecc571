using System.Globalization;
using System.Reflection;

namespace AnomalyDetection.Evaluation;

/// <summary>Sets public properties of an options object from Key=Value text, by name (case-insensitive); a dotted
/// key such as <c>Calibration.SubtractNormalMap</c> reaches a property of a nested options object.</summary>
internal static class OptionsBinder
{
    /// <summary>Applies every setting to <paramref name="target"/> in order.</summary>
    /// <exception cref="HarnessException">A key names no settable property, or a value does not convert.</exception>
    public static void Apply(object target, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            Apply(target, key, value);
        }
    }

    /// <summary>Sets one property.</summary>
    /// <exception cref="HarnessException">The key names no settable property, or the value does not convert.</exception>
    public static void Apply(object target, string key, string value)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            Apply(Nested(target, key[..dot], key), key[(dot + 1)..], value);
            return;
        }

        var type = target.GetType();
        var property = type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || !property.CanWrite || !IsSimple(property.PropertyType))
        {
            var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && IsSimple(p.PropertyType))
                .Select(p => p.Name)
                .Order(StringComparer.Ordinal);
            throw new HarnessException($"{type.Name} has no setting '{key}'; settings: {string.Join(", ", known)}.");
        }

        property.SetValue(target, Convert(property.PropertyType, key, value));
    }

    private static object Nested(object target, string name, string key)
    {
        var property = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanRead: true } && !IsSimple(property.PropertyType) && property.GetValue(target) is { } nested
            ? nested
            : throw new HarnessException($"{target.GetType().Name} has no options group '{name}' (in setting '{key}').");
    }

    /// <summary>Parses <c>Key=Value</c>.</summary>
    /// <exception cref="HarnessException">The text has no '=' or an empty key.</exception>
    public static KeyValuePair<string, string> ParsePair(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new(text[..equals].Trim(), text[(equals + 1)..].Trim())
            : throw new HarnessException($"Setting '{text}' is not of the form Key=Value.");
    }

    private static bool IsSimple(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal);
    }

    private static object? Convert(Type propertyType, string key, string value)
    {
        var nullable = Nullable.GetUnderlyingType(propertyType);
        var type = nullable ?? propertyType;
        if ((nullable is not null || type == typeof(string)) && value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            if (type.IsEnum)
            {
                return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!)
                    ? parsed
                    : throw new FormatException($"expected one of {string.Join(", ", Enum.GetNames(type))}");
            }

            return System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
        {
            throw new HarnessException($"Setting '{key}' cannot be '{value}': {ex.Message}");
        }
    }
}
