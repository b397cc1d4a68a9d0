namespace Beacon.Hosting;

/// <summary>How the process is hosted (SPEC §2). Same code and routes either way.</summary>
public enum HostMode
{
    /// <summary><c>serve</c>: Kestrel on <c>--urls</c>, with the in-process rollup scheduler.</summary>
    Standalone,

    /// <summary>
    /// <c>serve --functions-host</c>: started by the Azure Functions host as a custom handler; listens on
    /// 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; the host's timer POSTs <c>/Rollup</c>.
    /// </summary>
    FunctionsHost,
}
