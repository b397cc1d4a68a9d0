using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>
/// Reads the <c>trace_transactions</c> array of <c>POST /v1/beacon/ingest-traces</c>. All-or-nothing:
/// any invalid item rejects the request with a per-item error list. Repeated ids inside one batch
/// keep their first occurrence, because a repeat of an id is a no-op wherever it appears.
/// <c>organization_id</c> is read from the credential, never from the body.
/// </summary>
public static class TraceBatchParser
{
    public static Validated<IReadOnlyList<TraceTransaction>> Parse(JsonElement body, long nowMicros)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Fail(new FieldError("$", "The body must be a JSON object."));
        if (!body.TryGetProperty("trace_transactions", out var arr) || arr.ValueKind != JsonValueKind.Array)
            return Fail(new FieldError("trace_transactions", "Required: an array of trace transactions."));
        int n = arr.GetArrayLength();
        if (n > Limits.MaxTraceTransactions)
            return Fail(new FieldError("trace_transactions", $"At most {Limits.MaxTraceTransactions} transactions per request, got {n.ToString(CultureInfo.InvariantCulture)}."));

        var errors = new List<FieldError>();
        var implausible = new List<FieldError>();
        var result = new List<TraceTransaction>(n);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var item in arr.EnumerateArray())
        {
            var at = $"trace_transactions[{i.ToString(CultureInfo.InvariantCulture)}]";
            var tx = ParseOne(item, at, errors);
            if (tx is not null) CheckPlausible(tx, nowMicros, at, implausible);
            if (tx is not null && seen.Add(tx.Id)) result.Add(tx);
            i++;
        }
        if (errors.Count > 0) return Validated<IReadOnlyList<TraceTransaction>>.Fail(errors);

        // Semantic rules, reported only when the whole batch is well-formed: answered with 422.
        return implausible.Count > 0
            ? Validated<IReadOnlyList<TraceTransaction>>.Fail(implausible, unprocessable: true)
            : Validated<IReadOnlyList<TraceTransaction>>.Ok(result);
    }

    private static void CheckPlausible(TraceTransaction tx, long nowMicros, string at, List<FieldError> errors)
    {
        Plausibility.CheckCount(tx.TraceCount, $"{at}.trace_count", errors);
        int before = errors.Count;
        Plausibility.CheckTime(tx.StartIntervalMicros, nowMicros, $"{at}.start_interval_time", errors);
        if (errors.Count == before && tx.EndIntervalMicros is { } end)
        {
            if (end < tx.StartIntervalMicros)
                errors.Add(new FieldError($"{at}.end_interval_time", "Must not be earlier than start_interval_time."));
            else Plausibility.CheckTime(end, nowMicros, $"{at}.end_interval_time", errors);
        }
    }

    private static Validated<IReadOnlyList<TraceTransaction>> Fail(FieldError e) => Validated<IReadOnlyList<TraceTransaction>>.Fail([e]);

    private static TraceTransaction? ParseOne(JsonElement item, string at, List<FieldError> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(at, "Must be an object."));
            return null;
        }
        int before = errors.Count;

        string id = "";
        var rawId = OptionalString(item, "id", at, errors);
        if (string.IsNullOrEmpty(rawId)) errors.Add(new FieldError($"{at}.id", "Required."));
        else if (!Ids.TryNormalizeUuid(rawId, out id))
        {
            id = rawId;
            if (!Ids.IsAcceptableFreeFormId(rawId, 128)) errors.Add(new FieldError($"{at}.id", "Must be at most 128 printable characters."));
        }

        string workspace = "";
        var tenant = OptionalString(item, "tenant_id", at, errors);
        if (!string.IsNullOrEmpty(tenant) && !Ids.TryNormalizeUuid(tenant, out workspace))
            errors.Add(new FieldError($"{at}.tenant_id", "Must be a workspace UUID."));

        var session = OptionalString(item, "session_id", at, errors);
        if (!Ids.TryNormalizeProjectId(session, out string project))
            errors.Add(new FieldError($"{at}.session_id", "Must be at most 256 printable characters."));

        long count = RequiredCount(item, "trace_count", at, errors);
        long? start = Time(item, "start_interval_time", at, errors, required: true);
        long? end = Time(item, "end_interval_time", at, errors, required: false);
        long? insStart = Time(item, "start_insertion_time", at, errors, required: false);
        long? insEnd = Time(item, "end_insertion_time", at, errors, required: false);
        long failed = OptionalCount(item, "num_failed_send_attempts", at, errors);
        var type = OptionalString(item, "transaction_type", at, errors) ?? "";
        var status = OptionalString(item, "status", at, errors) ?? "";

        string user = "";
        var rawUser = OptionalString(item, "user_id", at, errors);
        if (!string.IsNullOrEmpty(rawUser) && !Ids.TryNormalizeUuid(rawUser, out user))
            errors.Add(new FieldError($"{at}.user_id", "Must be a UUID."));
        var shortKey = OptionalString(item, "api_key_short_key", at, errors) ?? "";
        if (!Ids.IsAcceptableFreeFormId(shortKey, 64))
            errors.Add(new FieldError($"{at}.api_key_short_key", "Must be at most 64 printable characters."));
        if (type.Length > 64 || status.Length > 64)
            errors.Add(new FieldError(at, "status and transaction_type are limited to 64 characters."));

        if (errors.Count > before) return null;
        return new TraceTransaction(id, workspace, project, count, TraceTransaction.TierOf(type), start!.Value, end, insStart, insEnd,
            status, failed, type, user, shortKey);
    }

    private static string? OptionalString(JsonElement item, string name, string at, List<FieldError> errors)
    {
        if (!item.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
        if (el.ValueKind == JsonValueKind.String) return el.GetString();
        errors.Add(new FieldError($"{at}.{name}", "Must be a string."));
        return null;
    }

    private static long RequiredCount(JsonElement item, string name, string at, List<FieldError> errors)
    {
        if (!item.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError($"{at}.{name}", "Required."));
            return 0;
        }
        return Count(el, $"{at}.{name}", errors);
    }

    private static long OptionalCount(JsonElement item, string name, string at, List<FieldError> errors) =>
        item.TryGetProperty(name, out var el) && el.ValueKind != JsonValueKind.Null ? Count(el, $"{at}.{name}", errors) : 0;

    private static long Count(JsonElement el, string field, List<FieldError> errors)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetInt64(out long v) && v >= 0) return v;
        errors.Add(new FieldError(field, "Must be a non-negative integer."));
        return 0;
    }

    private static long? Time(JsonElement item, string name, string at, List<FieldError> errors, bool required)
    {
        if (!item.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(new FieldError($"{at}.{name}", "Required."));
            return null;
        }
        if (el.ValueKind == JsonValueKind.String && Timestamps.TryParseMicros(el.GetString(), out long micros)) return micros;
        errors.Add(new FieldError($"{at}.{name}", "Must be an ISO 8601 timestamp with a UTC offset."));
        return null;
    }
}
