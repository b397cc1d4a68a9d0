using System.Text.Json;
using Beacon.Domain.Meters;
using Beacon.Domain.Statements;

namespace Beacon.Domain.Tests;

/// <summary>What a manual adjustment must say (SPEC §13) before anything is looked up or recorded.</summary>
public sealed class AdjustmentRequestParserTests
{
    private static readonly Month Current = new(2026, 12);
    private static readonly string Org = Guid.NewGuid().ToString("D");

    private static Validated<AdjustmentRequest> Parse(string json) =>
        AdjustmentRequestParser.Parse(JsonDocument.Parse(json).RootElement, MeterCatalog.Default, Current);

    [Fact]
    public void A_well_formed_request_is_read_with_ids_normalized_and_the_reason_trimmed()
    {
        var license = Guid.NewGuid();
        var parsed = Parse($$"""{"org_id":"{{Org.ToUpperInvariant()}}","license_id":"{{license.ToString("D").ToUpperInvariant()}}","metric":"standby_minutes","delta":-25,"for_month":"2026-11","reason":"  Outage credit "}""");
        Assert.Equal(new AdjustmentRequest(Org, license.ToString("D"), "standby_minutes", -25, new Month(2026, 11), "Outage credit"), parsed.Value);
        Assert.Null(Parse($$"""{"org_id":"{{Org}}","license_id":null,"metric":"agent_runs","delta":1,"for_month":"2026-12","reason":"x"}""").Value!.LicenseId);
    }

    [Fact]
    public void Every_broken_field_is_named_at_once()
    {
        var parsed = Parse("""{"org_id":"acme","license_id":7,"metric":"runs","delta":0,"for_month":"2027-01","reason":"  "}""");
        Assert.False(parsed.IsValid);
        Assert.Equal(["org_id", "license_id", "metric", "delta", "for_month", "reason"], parsed.Errors.Select(e => e.Field));
        Assert.Contains("2027-01 has not started yet", parsed.Errors.Single(e => e.Field == "for_month").Message, StringComparison.Ordinal);
        Assert.Contains("agent_runs", parsed.Errors.Single(e => e.Field == "metric").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000000000000001")]
    [InlineData("-1000000000000001")]
    [InlineData("1.5")]
    [InlineData("\"10\"")]
    public void A_delta_must_be_a_whole_number_within_a_thousand_maximal_reports(string delta)
    {
        var parsed = Parse($$"""{"org_id":"{{Org}}","metric":"agent_runs","delta":{{delta}},"for_month":"2026-11","reason":"fix"}""");
        Assert.Equal("delta", Assert.Single(parsed.Errors).Field);
        Assert.True(Parse($$"""{"org_id":"{{Org}}","metric":"agent_runs","delta":{{AdjustmentRequestParser.MaxDelta}},"for_month":"2026-11","reason":"fix"}""").IsValid);
    }

    [Fact]
    public void A_reason_over_500_characters_and_a_body_that_is_not_an_object_are_refused()
    {
        Assert.Equal("reason", Assert.Single(Parse($$"""{"org_id":"{{Org}}","metric":"agent_runs","delta":1,"for_month":"2026-11","reason":"{{new string('x', 501)}}"}""").Errors).Field);
        Assert.Equal("$", Assert.Single(Parse("[1]").Errors).Field);
    }
}
