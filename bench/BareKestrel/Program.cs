// The bare endpoint bench/run.sh also compares the engine's ingest with: same host builder and route, reads the whole
// body into an array (as the engine's BodyReader does for a body with Content-Length), answers 200. No signature, no
// storage: what Kestrel itself costs.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapGet("/healthz", () => "Healthy");
app.MapPost("/webhooks/line", async (HttpRequest request, CancellationToken ct) =>
{
    var length = request.ContentLength ?? 0;
    var body = new byte[length];
    await request.Body.ReadExactlyAsync(body, ct);
    return Results.Ok();
});
app.Run();
