using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class FormatTests
{
    [Theory]
    [InlineData(2.4149, 0.2471, 2, "2.41 ± 0.25")]
    [InlineData(-2.4149, 0.2471, 3, "-2.415 ± 0.247")]
    [InlineData(1234.6, 0.04, 0, "1235 ± 0")]
    [InlineData(-0.001, 0.0, 2, "0.00 ± 0.00")]
    [InlineData(double.NaN, double.PositiveInfinity, 2, "NaN ± inf")]
    public void MeanSe_FormatsBothNumbersWithFixedDigits(double mean, double se, int digits, string expected) =>
        Assert.Equal(expected, Format.MeanSe(mean, se, digits));

    [Fact]
    public void Number_IgnoresCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NegativeSign = "−";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.Equal("-12.50", Format.Number(-12.5, 2));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Number_RejectsNegativeDigits() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Format.Number(1, -1));
}
