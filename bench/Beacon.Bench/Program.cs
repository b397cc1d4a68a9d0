using System.Text.Json;
using Beacon.Bench;

// Runs the SPEC §10 figures (and ingest-traces) in one process against one in-memory Azurite on loopback and prints
// them; with --json, one JSON object (the README records it). Ratios, not absolute rates: both sides
// of each ratio run in the same process, on the same Azurite, minutes apart.
var json = args.Contains("--json");
var quick = args.Contains("--quick"); // smaller data, for a smoke run
var root = Beacon.Azurite.Azurite.FindRepositoryRoot();
void Log(string line)
{
    if (!json) Console.WriteLine(line);
}

// Each scenario gets a fresh in-memory Azurite, so one scenario's millions of entities do not slow
// (or exhaust the memory of) the next.
async Task<T> Fresh<T>(Func<Bench, Task<T>> scenario)
{
    await using var azurite = await Beacon.Azurite.Azurite.StartAsync(root, maxHeapMegabytes: 16_384);
    return await scenario(new Bench(azurite.ConnectionString, quick, Log));
}

// --only NAME runs one scenario (submit, ingest_traces, query, export, cold_start, fleet).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
async Task<object?> Run(string name, Func<Bench, Task<object>> scenario) => only is null || only == name ? await Fresh(scenario) : null;
var submit = await Run("submit", b => b.SubmitAsync());
var ingestTraces = await Run("ingest_traces", b => b.IngestTracesAsync());
var query = await Run("query", b => b.QueryAsync());
var export = await Run("export", b => b.ExportAsync());
var coldStart = await Run("cold_start", b => b.ColdStartAsync());
var fleet = await Run("fleet", b => b.FleetAsync());

var result = new { submit, ingest_traces = ingestTraces, query, export, cold_start = coldStart, fleet, machine = $"{Environment.ProcessorCount} cores", date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd") };
Console.WriteLine(json ? JsonSerializer.Serialize(result) : JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
