using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace AnomalyDetection.Cli.Commands;

/// <summary>
/// Parsers for numeric options that word a bad value plainly ("--max-steps expects a whole number; got 'abc'.")
/// instead of the command-line library's default, which names the .NET type
/// (<c>System.Nullable`1[System.Int32]</c>). Set one as an option's <c>CustomParser</c>.
/// </summary>
internal static class OptionValueParsers
{
    /// <summary>A 32-bit whole number; absent gives null.</summary>
    public static int? WholeNumber(ArgumentResult result) => ParseWhole<int>(result);

    /// <summary>A 64-bit whole number, such as a seed; absent gives null.</summary>
    public static long? LongWholeNumber(ArgumentResult result) => ParseWhole<long>(result);

    /// <summary>A decimal number with '.' as the separator; absent gives <paramref name="whenAbsent"/>.</summary>
    public static Func<ArgumentResult, float> Number(float whenAbsent) => result =>
    {
        if (Token(result) is not { } token)
        {
            return whenAbsent;
        }

        if (float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)} expects a number such as 0.5; got '{token}'.");
        return whenAbsent;
    };

    private static T? ParseWhole<T>(ArgumentResult result)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (Token(result) is not { } token)
        {
            return null;
        }

        if (T.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // A whole number that does not fit is named as such, not as something that is not a number.
        result.AddError(BigInteger.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? string.Create(CultureInfo.InvariantCulture, $"{OptionName(result)} expects a whole number from {T.MinValue} to {T.MaxValue}; got '{token}'.")
            : $"{OptionName(result)} expects a whole number; got '{token}'.");
        return null;
    }

    private static string? Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
