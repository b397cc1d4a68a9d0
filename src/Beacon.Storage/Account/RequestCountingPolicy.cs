using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Storage.Account;

/// <summary>Counts every attempt the SDK sends (it sits per retry), and whether it writes.</summary>
internal sealed class RequestCountingPolicy(StorageMetrics metrics) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        metrics.CountRequest(write: message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head);
}
