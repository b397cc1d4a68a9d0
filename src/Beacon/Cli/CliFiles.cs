using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Beacon.Cli;

/// <summary>
/// JSON the commands read and write other than their output: the demo's keys file (<c>.azurite/demo.json</c>,
/// names as declared, as before) and the demo's trace batches. Generated at compile time (ADR 0001).
/// </summary>
[JsonSerializable(typeof(SeedDemo.Result))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class CliFiles : JsonSerializerContext;
