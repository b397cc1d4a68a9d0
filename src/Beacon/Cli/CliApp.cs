using System.Text.Json.Nodes;
using Azure;
using Microsoft.Extensions.Options;
using Beacon.Hosting;
using Beacon.Settings;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>The <c>beacon</c> executable's entry: one subcommand per operator task (SPEC §8).</summary>
public static class CliApp
{
    public static readonly string Usage = """
        beacon — metering and licensing for self-hosted deployments

          serve [--urls URL]                       run the API, the dashboard and console, and the rollup scheduler
          dev [--urls URL] [--demo-interval T]     local run: Azurite + demo data + API + dashboard + live replicas
          rollup [--now ISO8601] [--org ORG]       run the rollup once (exit 3: another run holds the lease)
          seed-demo [--url BASE_URL]               create a demo org with ~90 days of usage
          admin org create --name N | admin org set-default-workspace --org ORG --workspace W
          admin workspace create --org ORG --name N [--id UUID]
          admin user create --org ORG --email E [--workspace W]...
          admin apikey create --org ORG [--user U] [--permission P]... [--workspace W]...
          admin apikey revoke --org ORG --id ID | admin apikey list --org ORG
          admin license create --org ORG --plan P [--expires ISO8601] [--entitlement E]... [--quota METRIC=N]...
                (quota metrics per UTC month: QUOTA_METRICS)
          admin license suspend|revoke|activate --org ORG --id ID | admin license list --org ORG
          admin license extend --org ORG --id ID --expires ISO8601
          admin license offline-key --org ORG --id ID --expires ISO8601
          admin operator create --name N | admin operator revoke --id ID | admin operator list
          admin project name --org ORG --id ID --name N
          admin signing-key rotate
          admin webhook create --url URL [--event TYPE]... [--description D] | admin webhook list | admin webhook delete --id ID
          statement close --month YYYY-MM           freeze an ended UTC month's statement (audited)
          usage import --license ID --file F [--reported-by NAME]
                                                    record an air-gapped install's usage from its granular export (CSV); prints the signed receipt
          backup --to DIR | restore --from DIR      copy every table and blob to a new folder; restore into empty storage

        Add --json to print one JSON object on stdout. Storage: AzureWebJobsStorage (connection string,
        or UseDevelopmentStorage=true for Azurite), or AzureWebJobsStorage__accountName for managed identity.
        """.Replace("QUOTA_METRICS", string.Join(", ", Beacon.Domain.Meters.MeterCatalog.Default.QuotaMetrics), StringComparison.Ordinal);

    /// <param name="settings">Extra configuration (tests use it to point at their Azurite).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken ct = default)
    {
        CliArgs parsed;
        try
        {
            parsed = CliArgs.Parse(args);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        var output = new CliOutput(stdout, stderr, parsed.Json);
        try
        {
            switch (parsed.Words.Count > 0 ? parsed.Words[0] : null)
            {
                case "serve":
                    return await ServeAsync(parsed, output, ct);
                case "dev":
                    return await DevCommand.RunAsync(parsed, output, ct);
                case "rollup":
                    using (var host = await StartHostAsync(settings, ct))
                        return await RollupAsync(host.Services, parsed, output, ct);
                case "seed-demo":
                    using (var host = await StartHostAsync(settings, ct))
                    {
                        var seeded = await new SeedDemo(host.Services, host.Services.GetRequiredService<TimeProvider>())
                            .RunAsync(parsed.Optional("url") ?? DevCommand.DefaultUrl, ct);
                        await host.Services.GetRequiredService<AuditLog>().AppendAsync(AuditLog.CliActor, "demo.seed", "org:" + seeded.OrgId, ct: ct);
                        output.Result(
                            new JsonObject { ["org_id"] = seeded.OrgId, ["api_key"] = seeded.ApiKey, ["license_key"] = seeded.LicenseKey, ["dashboard_url"] = seeded.DashboardUrl, ["operator_key"] = seeded.OperatorKey, ["console_url"] = seeded.ConsoleUrl },
                            DevCommand.Describe(seeded, host.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"] ?? "UseDevelopmentStorage=true"));
                        return 0;
                    }
                case "admin":
                    using (var host = await StartHostAsync(settings, ct))
                        return await new AdminCommands(host.Services, output).RunAsync(parsed, ct);
                case "backup" or "restore":
                    using (var host = await StartHostAsync(settings, ct))
                    {
                        var backup = host.Services.GetRequiredService<Beacon.Storage.Maintenance.StorageBackup>();
                        var restore = parsed.Words[0] == "restore";
                        var folder = Path.GetFullPath(restore ? parsed.Required("from") : parsed.Required("to"));
                        var summary = restore ? await backup.RestoreAsync(folder, ct) : await backup.BackupAsync(folder, ct);
                        output.Result(new JsonObject { ["folder"] = folder, ["tables"] = CliJson.Counts(summary.Tables), ["blobs"] = CliJson.Counts(summary.Blobs) },
                            $"{(restore ? "Restored" : "Backed up")} {summary.Tables.Values.Sum():N0} entities in {summary.Tables.Count} tables and {summary.Blobs.Values.Sum():N0} blobs {(restore ? "from" : "to")} {folder}.");
                        return 0;
                    }
                case "statement":
                    using (var host = await StartHostAsync(settings, ct))
                        return await new StatementCommands(host.Services, output).RunAsync(parsed, ct);
                case "usage":
                    using (var host = await StartHostAsync(settings, ct))
                        return await new UsageCommands(host.Services, output).RunAsync(parsed, ct);
                case null or "help" or "--help":
                    await stdout.WriteLineAsync(Usage);
                    return parsed.Words.Count == 0 ? 2 : 0;
                default:
                    return output.Fail($"Unknown command '{parsed.Words[0]}'.\n{Usage}", 2);
            }
        }
        catch (CliUsageException e)
        {
            return output.Fail(e.Message, 2);
        }
        catch (Exception e) when (FirstInvalidSetting(e) is { } invalid)
        {
            // A setting out of its documented range stops the start; one line names the section and what is wrong.
            return output.Fail(invalid, 2);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or InvalidOperationException)
        {
            return output.Fail(e is InvalidOperationException ? e.Message : "Storage is unavailable: " + e.Message);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is RequestFailedException or HttpRequestException))
        {
            // The SDK's retry policy gives up with every attempt's failure: one line says what the first was.
            return output.Fail($"Storage is unavailable ({e.InnerExceptions.Count} attempts): {e.InnerExceptions[0].Message}");
        }
    }

    private static async Task<int> RollupAsync(IServiceProvider services, CliArgs args, CliOutput output, CancellationToken ct)
    {
        DateTimeOffset? now = null;
        if (args.Optional("now") is { } text)
            now = Beacon.Domain.Time.Timestamps.TryParseMicros(text, out var micros)
                ? Beacon.Domain.Time.Timestamps.ToDateTimeOffset(micros)
                : throw new CliUsageException("--now must be an ISO 8601 date-time with an offset.");
        if (now > services.GetRequiredService<TimeProvider>().GetUtcNow())
            throw new CliUsageException("--now may not be later than the clock: progress would pass the real today and later writes to today would be missed.");
        var report = await services.GetRequiredService<Beacon.Storage.Maintenance.MaintenanceRun>().RunAsync(now, args.Optional("org"), ct);
        output.Result(new JsonObject
        {
            ["ran"] = report.Ran,
            ["skipped_reason"] = report.SkippedReason,
            ["now"] = report.Now,
            ["orgs"] = CliJson.Objects(report.Orgs, o => new JsonObject
            {
                ["org_id"] = o.OrgId,
                ["days_recomputed"] = o.DaysRecomputed,
                ["weeks_recomputed"] = o.WeeksRecomputed,
                ["months_recomputed"] = o.MonthsRecomputed,
                ["exports_staged"] = o.ExportsStaged,
                ["exports_waiting"] = o.ExportsWaiting,
                ["dirty_marks_cleared"] = o.MarksCleared,
                ["first_day"] = o.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["rolled_through"] = o.RolledThrough.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["epoch"] = o.Epoch,
                ["steps_deferred"] = o.StepsDeferred,
                ["error"] = o.Error,
            }),
        }, string.Join('\n', Hosting.RollupLog.Lines(report)));
        return report.Ran ? 0 : 3;
    }

    private static async Task<int> ServeAsync(CliArgs args, CliOutput output, CancellationToken ct)
    {
        var app = BeaconApp.Build(args.PassThrough());
        if (StorageSettingProblem(app.Configuration) is { } problem) return output.Fail(problem, 2);
        await app.RunAsync(ct);
        return 0;
    }

    /// <summary>A malformed storage setting, named in one line (null when it looks usable).</summary>
    internal static string? StorageSettingProblem(IConfiguration configuration) =>
        configuration[Beacon.Storage.Account.StorageConnection.DefaultPrefix] is { Length: > 0 } cs && Beacon.Storage.Account.StorageConnection.ProblemWith(cs) is { } why
            ? $"{Beacon.Storage.Account.StorageConnection.DefaultPrefix} is not a usable storage connection string: {why}"
            : null;

    private static string? FirstInvalidSetting(Exception e) => e switch
    {
        OptionsValidationException o => $"The settings under {SectionOf(o.OptionsType)} are not valid: {string.Join(" ", o.Failures.Select(Reason))}",
        AggregateException a => a.InnerExceptions.Select(FirstInvalidSetting).FirstOrDefault(m => m is not null),
        _ => null,
    };

    private static string SectionOf(Type options) =>
        options == typeof(BeaconOptions) ? BeaconOptions.Section
        : options == typeof(Beacon.Storage.Rollups.RollupOptions) ? Beacon.Storage.Rollups.RollupOptions.Section
        : options == typeof(Beacon.Storage.Account.StoragePipelineOptions) ? Beacon.Storage.Account.StoragePipelineOptions.Section
        : options.Name;

    /// <summary>
    /// The generated validators' "MaxRetries: The field StoragePipelineOptions.MaxRetries must be between 0 and 10." →
    /// "The field MaxRetries must be between 0 and 10." (what the line said when DataAnnotations checked by reflection).
    /// </summary>
    private static string Reason(string failure)
    {
        var m = System.Text.RegularExpressions.Regex.Match(failure, @"^\w+: The field (?:\w+\.)?(\w+) (.*)$");
        return m.Success ? $"The field {m.Groups[1].Value} {m.Groups[2].Value}" : failure;
    }

    /// <summary>A host with Beacon's services and no web server, for commands that run and exit.</summary>
    internal static async Task<IHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (StorageSettingProblem(builder.Configuration) is { } problem) throw new CliUsageException(problem);
        builder.Services.AddBeacon(builder.Configuration);
        var host = builder.Build();
        // Not started (its hosted services would run), so the start's validation of the settings runs here.
        host.Services.GetService<IStartupValidator>()?.Validate();
        await host.Services.GetRequiredService<Tables>().EnsureCreatedAsync(ct);
        return host;
    }
}
