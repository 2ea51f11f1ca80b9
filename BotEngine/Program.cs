using BotEngine.Admin;
using BotEngine.Channels;
using BotEngine.Hosting;
using BotEngine.Ingress;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Queue;

if (EngineCommands.Handles(args)) Environment.Exit(EngineCommands.Run(args)); // botengine backup FILE, no server

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json sits beside the binary (and is linked into the build output), whatever the working directory.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddBotEngineLogging();     // Serilog from appsettings.json, secrets never logged
builder.AddBotEngineOptions();     // binds and validates every section at start-up
builder.AddDurableQueue();         // SQLite inbox and event lanes, one writer with group commit
builder.AddConversationActors();   // Akka.NET, journal and snapshots in data/akka.db
builder.AddChannels();             // LINE signature, parser, Messaging API client
builder.AddDelivery();             // claims events lane by lane, asks the actor, sends, marks done
builder.AddOperations();           // ingress gate, health, metrics, systemd
builder.AddAdmin();                // dead letters

var app = builder.Build();
app.MapWebhooks();
app.MapOperations();
app.MapAdmin();
app.Run();
