using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>
/// Told of every change of a deployment's reporting state as the change is applied (a change applied again
/// after a crash is told again; listeners must be idempotent by <see cref="IndexedState.Seq"/>). The alerts
/// layer listens, to emit <c>deployment.silent</c> and <c>deployment.resumed</c>.
/// </summary>
public interface IDeploymentStateChanges
{
    Task ChangedAsync(string orgId, string row, IndexedState state, CancellationToken ct);
}
