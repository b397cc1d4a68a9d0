using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Alerts;

/// <summary>
/// Webhook endpoints, events and deliveries (table Webhooks; ADR 0018). Partitions:
/// <c>endpoint</c> (RK = endpoint id); <c>event</c> (RK = event id: inserting an event that exists is how a
/// second sighting is recognised); <c>fanout</c> (an event written but not yet given to every endpoint:
/// what a crash in between leaves, finished by the next alerts run); <c>delivery|endpoint</c> (RK = the
/// event's time counted down and its id: a paged log, newest first, and one delivery per event and
/// endpoint whoever writes it); <c>due</c> (RK = next attempt time|endpoint|delivery row: what the sender
/// reads, oldest first; a hint checked against the delivery itself).
/// </summary>
public sealed partial class WebhookStore(Tables tables)
{
    public const string DeliverySection = "deliveries";
    private const string Endpoints = "endpoint";
    private const string Events = "event";
    private const string Fanout = "fanout";
    private const string Due = "due";

    private TableClient Table => tables.Webhooks;

    /// <summary>Ids as Beacon makes them (checked before a key reaches storage: a stray character there is the service's 400, not the caller's 404).</summary>
    public static bool IsEndpointId(string id) => EndpointId().IsMatch(id);

    public static bool IsDeliveryRow(string row) => DeliveryRowKey().IsMatch(row);

    [System.Text.RegularExpressions.GeneratedRegex("^wh_[0-9a-f]{32}$")]
    private static partial System.Text.RegularExpressions.Regex EndpointId();

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{19}-evt_[0-9a-f]{32}$")]
    private static partial System.Text.RegularExpressions.Regex DeliveryRowKey();

    private static string DeliveryPartition(string endpointId) => "delivery|" + endpointId;

    public static string DeliveryRow(WebhookEvent e) =>
        (DateTimeOffset.MaxValue.UtcTicks - e.Timestamp.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + e.Id;

    private static string DueRow(DateTimeOffset at, string endpointId, string deliveryRow) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + endpointId + "|" + deliveryRow;

    // ---- endpoints ----

    public async Task AddEndpointAsync(WebhookEndpoint e, CancellationToken ct = default) => await Table.AddEntityAsync(new TableEntity(Endpoints, e.Id)
    {
        ["url"] = e.Url, ["events"] = JsonSerializer.Serialize([.. e.Events], Stores.StorageJson.Default.StringArray), ["description"] = e.Description, ["secret"] = e.Secret, ["created_at"] = e.CreatedAt,
    }, ct);

    public async Task<WebhookEndpoint?> GetEndpointAsync(string id, CancellationToken ct = default) =>
        await tables.GetAsync(Table, Endpoints, id, ct: ct) is { } e ? ReadEndpoint(e) : null;

    /// <summary>Every endpoint (a vendor has a handful; the listing is not paged).</summary>
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken ct = default) =>
        await tables.QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Endpoints}"), ct: ct).Select(ReadEndpoint).ToListAsync(ct);

    public async Task<bool> DeleteEndpointAsync(string id, CancellationToken ct = default)
    {
        try
        {
            await Table.DeleteEntityAsync(Endpoints, id, ETag.All, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Records a failure or a success of the endpoint's deliveries (failing since when; disabled when).</summary>
    public async Task<bool> TrySetHealthAsync(WebhookEndpoint e, DateTimeOffset? failingSince, DateTimeOffset? disabledAt, CancellationToken ct = default) =>
        await Table.TryUpdateAsync(new TableEntity(Endpoints, e.Id) { ["failing_since"] = failingSince, ["disabled_at"] = disabledAt }, e.ETag, TableUpdateMode.Merge, ct) is not null;

    private static WebhookEndpoint ReadEndpoint(TableEntity e) => new(
        e.RowKey, e.GetString("url") ?? "", JsonSerializer.Deserialize(e.GetString("events") ?? "[]", Stores.StorageJson.Default.StringArray) ?? [], e.GetString("description") ?? "",
        e.GetString("secret") ?? "", e.GetDateTimeOffset("created_at") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("failing_since"), e.GetDateTimeOffset("disabled_at"), e.ETag);

    // ---- events ----

    /// <summary>Notes that <paramref name="e"/> must reach <paramref name="onlyEndpoint"/> (null: every endpoint that wants it), before anything else is written.</summary>
    public async Task MarkFanoutAsync(WebhookEvent e, string? onlyEndpoint, CancellationToken ct = default) =>
        await Table.UpsertEntityAsync(new TableEntity(Fanout, e.Id)
        {
            ["type"] = e.Type, ["timestamp"] = e.Timestamp, ["data"] = e.Data, ["only_endpoint"] = onlyEndpoint ?? "",
        }, TableUpdateMode.Replace, ct);

    public async Task ClearFanoutAsync(string eventId, CancellationToken ct = default)
    {
        try
        {
            await Table.DeleteEntityAsync(Fanout, eventId, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IReadOnlyList<(WebhookEvent Event, string? OnlyEndpoint)>> ListFanoutAsync(CancellationToken ct = default) =>
        await tables.QueryAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Fanout}"), ct: ct)
            .Select(e => (new WebhookEvent(e.RowKey, e.GetString("type") ?? "", e.GetDateTimeOffset("timestamp") ?? DateTimeOffset.MinValue, e.GetString("data") ?? "{}"),
                (e.GetString("only_endpoint") ?? "") is { Length: > 0 } only ? only : null))
            .ToListAsync(ct);

    /// <summary>Records the event once: the stored one when it was recorded before (its first time and data stand).</summary>
    public async Task<WebhookEvent> RecordEventAsync(WebhookEvent e, CancellationToken ct = default)
    {
        var entity = new TableEntity(Events, e.Id) { ["type"] = e.Type, ["timestamp"] = e.Timestamp, ["data"] = e.Data };
        if (await Table.TryAddAsync(entity, ct) is not null) return e;
        return await GetEventAsync(e.Id, ct) ?? e;
    }

    public async Task<WebhookEvent?> GetEventAsync(string id, CancellationToken ct = default) =>
        await tables.GetAsync(Table, Events, id, ct: ct) is { } s
            ? new WebhookEvent(s.RowKey, s.GetString("type") ?? "", s.GetDateTimeOffset("timestamp") ?? DateTimeOffset.MinValue, s.GetString("data") ?? "{}")
            : null;

    public async Task<bool> EventExistsAsync(string id, CancellationToken ct = default) =>
        await tables.GetAsync(Table, Events, id, ["PartitionKey"], ct) is not null;

    // ---- deliveries ----

    /// <summary>Creates the delivery of <paramref name="e"/> to an endpoint, due now, unless it exists (then nothing changes).</summary>
    public async Task AddDeliveryAsync(string endpointId, WebhookEvent e, DateTimeOffset now, CancellationToken ct = default)
    {
        var row = DeliveryRow(e);
        // The pointer first: a delivery without one would never be sent; a pointer without a delivery is dropped when read.
        await Table.UpsertEntityAsync(new TableEntity(Due, DueRow(now, endpointId, row)), TableUpdateMode.Replace, ct);
        await Table.TryAddAsync(new TableEntity(DeliveryPartition(endpointId), row)
        {
            ["event_id"] = e.Id, ["type"] = e.Type, ["status"] = WebhookDelivery.Pending, ["attempts"] = 0, ["next_attempt_at"] = now,
        }, ct);
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(string endpointId, string row, CancellationToken ct = default) =>
        await tables.GetAsync(Table, DeliveryPartition(endpointId), row, ct: ct) is { } e ? ReadDelivery(e) : null;

    /// <summary>The pointers due at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(string EndpointId, string Row, DateTimeOffset At, string PointerRow)>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        var upTo = now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "}";
        var page = await tables.TakeAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {Due} and RowKey le {upTo}"), limit, ct: ct);
        return [.. page.Select(e =>
        {
            var parts = e.RowKey.Split('|', 3);
            return (parts[1], parts[2], new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), e.RowKey);
        })];
    }

    public async Task DropPointerAsync(string pointerRow, CancellationToken ct = default)
    {
        try
        {
            await Table.DeleteEntityAsync(Due, pointerRow, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Takes the delivery until <paramref name="until"/> if it is still as read; the claimed delivery, or null when another instance has it.</summary>
    public async Task<WebhookDelivery?> TryClaimAsync(WebhookDelivery d, DateTimeOffset until, CancellationToken ct = default)
    {
        var etag = await Table.TryUpdateAsync(new TableEntity(DeliveryPartition(d.EndpointId), d.RowKey) { ["claimed_until"] = until }, d.ETag, TableUpdateMode.Merge, ct);
        return etag is { } t ? d with { ClaimedUntil = until, ETag = t } : null;
    }

    /// <summary>Saves an attempt's outcome (the claim's ETag guards it) and moves the due pointer to the next attempt, if any.</summary>
    public async Task SaveAttemptAsync(WebhookDelivery claimed, WebhookDelivery next, string? oldPointerRow, CancellationToken ct = default)
    {
        if (next.Status == WebhookDelivery.Pending && next.NextAttemptAt is { } at)
            await Table.UpsertEntityAsync(new TableEntity(Due, DueRow(at, next.EndpointId, next.RowKey)), TableUpdateMode.Replace, ct);
        await Table.UpdateEntityAsync(new TableEntity(DeliveryPartition(next.EndpointId), next.RowKey)
        {
            ["status"] = next.Status, ["attempts"] = next.Attempts, ["first_attempt_at"] = next.FirstAttemptAt, ["next_attempt_at"] = next.NextAttemptAt,
            ["last_status_code"] = next.LastStatusCode, ["last_error"] = next.LastError ?? "", ["claimed_until"] = DateTimeOffset.UnixEpoch, // free again
        }, claimed.ETag, TableUpdateMode.Merge, ct);
        if (oldPointerRow is not null) await DropPointerAsync(oldPointerRow, ct);
    }

    /// <summary>A page of an endpoint's deliveries, newest event first.</summary>
    public async Task<(IReadOnlyList<WebhookDelivery> Deliveries, PageCursor? Next)> PageDeliveriesAsync(string endpointId, PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (page, next) = await tables.PageAsync(Table, DeliveryPartition(endpointId), DeliverySection, after, limit, ct);
        return ([.. page.Select(ReadDelivery)], next);
    }

    private static WebhookDelivery ReadDelivery(TableEntity e)
    {
        var error = e.GetString("last_error");
        return new WebhookDelivery(e.PartitionKey["delivery|".Length..], e.RowKey, e.GetString("event_id") ?? "", e.GetString("type") ?? "",
            e.GetString("status") ?? WebhookDelivery.Pending, e.GetInt32("attempts") ?? 0, e.GetDateTimeOffset("first_attempt_at"), e.GetDateTimeOffset("next_attempt_at"),
            e.GetInt32("last_status_code"), string.IsNullOrEmpty(error) ? null : error, e.GetDateTimeOffset("claimed_until"), e.ETag);
    }
}
