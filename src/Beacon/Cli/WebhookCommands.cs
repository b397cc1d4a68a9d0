using System.Text.Json.Nodes;
using Beacon.Operations;
using Beacon.Storage.Alerts;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon admin webhook create|list|delete</c> (SPEC §18): the same service as the operator API, audited
/// as <c>cli</c>. The secret is printed once, at creation.
/// </summary>
internal sealed class WebhookCommands(IServiceProvider services, CliOutput output)
{
    public async Task<int> RunAsync(CliArgs a, string what, CancellationToken ct)
    {
        var admin = services.GetRequiredService<WebhookAdmin>();
        switch (what)
        {
            case "create":
                var (endpoint, errors) = await admin.CreateAsync(a.Required("url"), a.All("event"), a.Optional("description"), AuditLog.CliActor, ct);
                if (endpoint is null) throw new CliUsageException(string.Join(" ", errors.Select(e => $"--{(e.Field == "events" ? "event" : e.Field)} {e.Message}")));
                output.Result(new JsonObject { ["id"] = endpoint.Id, ["url"] = endpoint.Url, ["events"] = CliJson.Strings(endpoint.Events), ["secret"] = endpoint.Secret },
                    $"Webhook {endpoint.Id} sends {(endpoint.Events.Count == 0 ? "every event" : string.Join(", ", endpoint.Events))} to {endpoint.Url}.\n"
                    + $"Signing secret (shown once; the receiver verifies with it):\n{endpoint.Secret}");
                return 0;
            case "list":
                var all = await services.GetRequiredService<WebhookStore>().ListEndpointsAsync(ct);
                output.Listing(new JsonObject
                {
                    ["webhooks"] = CliJson.Objects(all, e => new JsonObject { ["id"] = e.Id, ["url"] = e.Url, ["events"] = CliJson.Strings(e.Events), ["description"] = e.Description, ["created_at"] = e.CreatedAt, ["failing_since"] = e.FailingSince, ["disabled_at"] = e.DisabledAt }),
                }, [.. all.Select(e => $"{e.Id}  {e.Url}  {(e.Events.Count == 0 ? "all events" : string.Join(",", e.Events))}{(e.DisabledAt is { } d ? $"  DISABLED {d:yyyy-MM-dd}" : e.FailingSince is { } f ? $"  failing since {f:O}" : "")}")],
                    "No webhook endpoints.");
                return 0;
            case "delete":
                var id = a.Required("id");
                if (!await admin.DeleteAsync(id, AuditLog.CliActor, ct)) return output.Fail($"No webhook endpoint {id}.");
                output.Result(new JsonObject { ["id"] = id, ["deleted"] = true }, $"Deleted webhook {id}.");
                return 0;
            default:
                throw new CliUsageException($"Unknown admin command 'webhook {what}'. See `beacon help`.");
        }
    }
}
