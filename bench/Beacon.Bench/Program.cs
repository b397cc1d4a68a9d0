using System.Text.Json;
using Beacon.Bench;
using Beacon.Storage.Local;

// Runs the four SPEC §10 figures in one process against one in-memory Azurite on loopback and prints
// them; with --json, one JSON object (the README records it). Ratios, not absolute rates: both sides
// of each ratio run in the same process, on the same Azurite, minutes apart.
var json = args.Contains("--json");
var quick = args.Contains("--quick"); // smaller data, for a smoke run
var root = Azurite.FindRepositoryRoot();
await using var azurite = await Azurite.StartAsync(root);
var bench = new Bench(azurite.Endpoints, quick, line => { if (!json) Console.WriteLine(line); });

var submit = await bench.SubmitAsync();
var query = await bench.QueryAsync();
var export = await bench.ExportAsync();
var coldStart = await bench.ColdStartAsync();

var result = new { submit, query, export, cold_start = coldStart, machine = $"{Environment.ProcessorCount} cores", date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd") };
Console.WriteLine(json ? JsonSerializer.Serialize(result) : JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
