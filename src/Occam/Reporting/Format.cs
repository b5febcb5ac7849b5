using System.Globalization;

namespace Occam.Reporting;

/// <summary>Number formatting for reports: invariant culture, fixed digits, no "-0.00".</summary>
public static class Format
{
    /// <summary>Formats a mean with its standard error, e.g. <c>MeanSe(2.4149, 0.2471, 2)</c> → <c>"2.41 ± 0.25"</c>.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="se">The standard error (or any spread) shown after "±".</param>
    /// <param name="digits">Digits after the decimal point, 0 to 15.</param>
    /// <returns>The two numbers joined by " ± ".</returns>
    public static string MeanSe(double mean, double se, int digits) => $"{Number(mean, digits)} ± {Number(se, digits)}";

    /// <summary>
    /// Formats <paramref name="value"/> with exactly <paramref name="digits"/> decimals in the invariant culture;
    /// a value that rounds to zero prints without a minus sign; NaN and infinities print as "NaN", "inf", "-inf".
    /// </summary>
    /// <param name="value">The number.</param>
    /// <param name="digits">Digits after the decimal point, 0 to 15.</param>
    /// <returns>The formatted number.</returns>
    public static string Number(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        var text = value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        // -0.001 at two digits prints "-0.00"; a number that shows as zero carries no sign.
        return text.StartsWith('-') && text.AsSpan(1).IndexOfAnyExcept('0', '.') < 0 ? text[1..] : text;
    }
}
