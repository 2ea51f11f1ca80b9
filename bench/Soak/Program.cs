using System.Globalization;

// drive: posts signed LINE bodies of "count" text events to --url for --seconds, from --users users split over
//        --parallel workers; each body is posted again until it gets 200 (as LINE redelivers), and a user's next
//        event is sent only after the previous one was acknowledged. Every acknowledged event goes to --out as
//        "eventId<TAB>user<TAB>n<TAB>replyToken": the n-th count of that user, whose answer must say #n.
// check: reads --sent (drive's --out) and --record (the fake API's record of accepted messages, the ground truth)
//        and prints lost, doubled, out-of-order and unexpected answers; exit code 1 when any is not 0.
var command = args.Length > 0 ? args[0] : "";
var a = new Args(args);
return command switch
{
    "drive" => await Driver.RunAsync(a),
    "check" => Checker.Run(a),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Soak drive --url U --secret S --seconds N --out FILE [--users 200 --parallel 4 --events 5 --pause-ms 200]");
    Console.Error.WriteLine("       Soak check --sent FILE --record FILE");
    return 2;
}

internal sealed class Args(string[] args)
{
    public string Get(string name, string? fallback = null)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1]
            : fallback ?? throw new ArgumentException($"missing {name}");
    }

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)),
        CultureInfo.InvariantCulture);
}
