using Beacon.Cli;

// `beacon <command>`: serve, rollup, seed-demo, dev, admin … (see Cli/CliApp.cs and README).
return await CliApp.RunAsync(args, Console.Out, Console.Error);
