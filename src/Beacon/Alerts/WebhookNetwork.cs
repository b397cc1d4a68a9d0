using System.Net;
using System.Net.Sockets;

namespace Beacon.Alerts;

/// <summary>
/// How a delivery finds and reaches its host: name resolution and the TCP connection, apart, so the
/// addresses are checked between the two (SSRF, SPEC §18) and the connection goes to exactly the addresses
/// checked — a name that re-resolves elsewhere between check and connect cannot slip through. Tests replace
/// it to map test names to private or metadata addresses without sending anything there.
/// </summary>
public class WebhookNetwork
{
    public virtual async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    public virtual async Task<Stream> ConnectAsync(IPAddress[] addresses, int port, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
