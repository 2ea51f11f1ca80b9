using BotEngine;
using BotEngine.Admin;
using BotEngine.Benchmarks;
using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Dashboard;
using BotEngine.Flows;
using BotEngine.Ingress;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Queue;
using BotEngine.Timers;

if (EngineCommands.Handles(args)) return EngineCommands.Run(args); // --help, --version, backup, flows check: no server

// The slim builder: no IIS integration, hosting startup assemblies, host filtering, EventSource/Debug log providers or
// regex route constraints, none of which the engine uses (BENCHMARKS.md, start-up). Kestrel's HTTPS endpoints from
// configuration are put back below, host filtering by HttpEdge when AllowedHosts names hosts.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json sits beside the binary (and is linked into the build output), whatever the working directory.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.WebHost.UseKestrelHttpsConfiguration(); // Kestrel:Endpoints with https and certificates, as before

builder.AddBotEngineLogging();     // Serilog from appsettings.json, secrets never logged
builder.AddBotEngineOptions();     // binds and validates every section at start-up
builder.AddDurableQueue();         // SQLite inbox and event lanes, one writer with group commit
builder.AddTimers();               // durable timers in queue.db, fired into their conversation's lane
builder.AddFlows();                // the conversation: a flow file or C# (Flows:Bot), checked at start-up
builder.AddConversationActors();   // Akka.NET, journal and snapshots in data/conversations-{0..3}.db, started before any traffic
builder.AddChannels();             // every chat platform (Channels/ChannelRegistration.cs), the dev chat page too
builder.AddDelivery();             // claims events lane by lane, asks the actor, sends, marks done
builder.AddBenchmarkBaseline();    // BotEngine:Conversations=NoOp: a fixed answer instead of the actors (bench only)
builder.AddOperations();           // ingress gate, health, metrics, systemd
builder.AddAdmin();                // admin access (cookie, bearer, loopback rule), dead letters
builder.AddDashboard();            // GET /admin: charts of the last hour, sampled every 10 s

var app = builder.Build();
return StartupFailure.Run(app, () => // a broken flow, a taken port, a bad setting: one line on stderr, exit code 1
{
    FirstAnswer.UseFirstAnswer(app); // what only the pipeline needs starts after the first answer
    // /healthz before routing (no endpoint table needed); each endpoint's body limit; a broken or slow request: one
    // log line, no stack trace
    app.UseHttpEdge(OperationsRegistration.UseHealthz);
    app.UseAdminAccess();          // sign-in cookie or bearer token, the admin rule, the sign-in rate limit: before any body
    app.MapWebhooks();             // each channel's webhook (and its pages)
    app.MapOperations();
    app.MapAdmin();
    app.MapDashboard();
});
