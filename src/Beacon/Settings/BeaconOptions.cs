using System.Diagnostics.CodeAnalysis;
using Beacon.Storage.Account;
using System.ComponentModel.DataAnnotations;

namespace Beacon.Settings;

/// <summary>Settings under the <c>Beacon</c> configuration section, validated at start.</summary>
public sealed class BeaconOptions
{
    public const string Section = "Beacon";

    /// <summary>Issuer (<c>iss</c>) of license tokens.</summary>
    [Required]
    public string TokenIssuer { get; set; } = "beacon";

    /// <summary>Audience (<c>aud</c>) of license tokens: what self-hosted deployments check.</summary>
    [Required]
    public string TokenAudience { get; set; } = "langgraph-platform";

    /// <summary>How long a license token from <c>/v1/beacon/verify</c> is valid.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a credential lookup is cached; a revoked key stops working within this time (SPEC: ≤ 60 s).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CredentialCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Token bucket per credential: burst size.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 200;

    /// <summary>Token bucket per credential: sustained requests per second.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 50;

    /// <summary>
    /// How long a request may spend on storage before it is answered 503: well inside the rollup's
    /// 10-minute grace, so every acknowledged or abandoned write has landed (or not) before a rollup
    /// reads its day (SPEC §9).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan StorageDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed authentications per client address: burst size before 429.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthBurst { get; set; } = 30;

    /// <summary>Failed authentications per client address: sustained failures per minute.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthPerMinute { get; set; } = 30;

    /// <summary>NCRONTAB (6 fields, UTC) of the rollup; the same setting the worker's Rollup timer reads (%Beacon:RollupSchedule%).</summary>
    [Required]
    public string RollupSchedule { get; set; } = "0 */15 * * * *";

    /// <summary>
    /// Deployments the fleet recorder tracks at once on this instance (bounded memory). Past it, only an
    /// org with fewer than <see cref="FleetSharePerOrg"/> tracked deployments may add one.
    /// </summary>
    [Range(1, 10_000_000)]
    public int FleetMaxDeployments { get; set; } = 50_000;

    /// <summary>
    /// The most deployments one org may have tracked at once, and the share every org keeps even when the
    /// recorder is full: one org's flood of new deployments cannot keep another org's new deployment out
    /// of the fleet view (SPEC §15).
    /// </summary>
    [Range(1, 10_000_000)]
    public int FleetMaxDeploymentsPerOrg { get; set; } = 2_000;

    /// <summary>Deployments every org may track even when the recorder is full.</summary>
    [Range(1, 10_000_000)]
    public int FleetSharePerOrg { get; set; } = 100;

    /// <summary>Run the in-process rollup scheduler in standalone mode (off in the isolated worker: the host's timer owns it).</summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>
    /// Allow webhooks to loopback addresses, over http too (SPEC §18): for development and tests only. Off, a
    /// webhook must be https and may not reach a private, loopback, link-local or metadata address.
    /// </summary>
    public bool AllowInsecureWebhooks { get; set; }
}
