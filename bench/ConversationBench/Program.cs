using BenchmarkDotNet.Running;
using ConversationBench;

return args.FirstOrDefault() switch
{
    "format" => Run(() => BenchmarkRunner.Run<PersistFormatBenchmarks>(args: args[1..])),
    "actors" => await ActorThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    _ => Usage(),
};

static int Run(Action action)
{
    action();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ConversationBench format [BenchmarkDotNet args] | actors [events]");
    return 2;
}
