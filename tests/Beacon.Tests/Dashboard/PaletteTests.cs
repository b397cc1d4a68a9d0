using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Tests.Dashboard;

/// <summary>The dashboard's series colours: no two alike, so two projects are never told apart by a shade.</summary>
public sealed class PaletteTests
{
    [Fact]
    public void No_two_of_the_twenty_series_colours_are_alike()
    {
        var js = File.ReadAllText(Path.Combine(Testing.AzuriteFixture.RepositoryRoot, "src", "Beacon", "wwwroot", "dashboard", "render.js"));
        var list = Regex.Match(js, @"const PALETTE = \[(.*?)\];", RegexOptions.Singleline).Groups[1].Value;
        var colours = Regex.Matches(list, "'(#[0-9a-f]{6})'").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(20, colours.Count);
        var closest = colours.SelectMany((a, i) => colours.Skip(i + 1).Select(b => (a, b, DeltaE(a, b)))).MinBy(p => p.Item3);
        // ΔE 20 is a clearly different colour; the old palette had pairs at 6 (two violets) and 12 (two reds).
        Assert.True(closest.Item3 >= 20, $"{closest.a} and {closest.b} are alike (ΔE {closest.Item3:0.0})");
    }

    /// <summary>CIE76 colour difference of two sRGB colours (D65).</summary>
    private static double DeltaE(string a, string b)
    {
        var (l1, a1, b1) = Lab(a);
        var (l2, a2, b2) = Lab(b);
        return Math.Sqrt((l1 - l2) * (l1 - l2) + (a1 - a2) * (a1 - a2) + (b1 - b2) * (b1 - b2));
    }

    private static (double L, double A, double B) Lab(string hex)
    {
        double Channel(int i)
        {
            var c = int.Parse(hex.AsSpan(1 + 2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var (r, g, b) = (Channel(0), Channel(1), Channel(2));
        var x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047;
        var y = r * 0.2126 + g * 0.7152 + b * 0.0722;
        var z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }
}
