using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Storage.Account;

/// <summary>Counts every attempt the SDK sends (it sits per retry), and whether it writes.</summary>
internal sealed class RequestCountingPolicy(StorageMetrics metrics) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        metrics.CountRequest(
            write: message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head,
            resource: Resource(message.Request.Uri.Path));

    /// <summary>The table or container: <c>/Deployments(PartitionKey=…)</c> → Deployments (Azurite puts the account first).</summary>
    private static string Resource(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 1 && segments[0] == "devstoreaccount1" ? segments[1] : segments.FirstOrDefault() ?? "";
        var paren = first.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? first : first[..paren];
    }
}
