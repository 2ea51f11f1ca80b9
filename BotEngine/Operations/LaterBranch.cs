using Microsoft.AspNetCore.Http.Features;

namespace BotEngine.Operations;

/// <summary>
/// Middleware whose instances are created on the first request that reaches them, not when the server starts. The
/// authorization middleware reads the whole endpoint table when it is created, which builds every minimal-API
/// endpoint's request delegate (about 100 ms of CPU here); at start that sat before the first <c>/healthz</c> 200, which
/// needs none of it (it is answered before routing). Middleware added to the branch sets its flags in the app's own
/// properties (the host then does not add authentication or authorization a second time) and runs in the order added,
/// at the place of the branch.
/// </summary>
internal sealed class LaterBranch : IApplicationBuilder
{
    private readonly IApplicationBuilder _app;
    private readonly List<Func<RequestDelegate, RequestDelegate>> _components = [];

    private LaterBranch(IApplicationBuilder app) => _app = app;

    public IServiceProvider ApplicationServices
    {
        get => _app.ApplicationServices;
        set => _app.ApplicationServices = value;
    }

    public IFeatureCollection ServerFeatures => _app.ServerFeatures;

    public IDictionary<string, object?> Properties => _app.Properties;

    /// <summary>Adds the middleware that <paramref name="configure"/> adds, created on the first request through it.</summary>
    public static void Use(IApplicationBuilder app, Action<IApplicationBuilder> configure)
    {
        var branch = new LaterBranch(app);
        configure(branch);
        app.Use(next =>
        {
            var built = new Lazy<RequestDelegate>(() => branch.Build(next)); // thread-safe: built once
            return http => built.Value(http);
        });
    }

    public IApplicationBuilder Use(Func<RequestDelegate, RequestDelegate> middleware)
    {
        _components.Add(middleware);
        return this;
    }

    public IApplicationBuilder New() => _app.New();

    public RequestDelegate Build() => throw new NotSupportedException("A later branch is built by the request that needs it");

    private RequestDelegate Build(RequestDelegate next)
    {
        var app = next;
        for (var i = _components.Count - 1; i >= 0; i--) app = _components[i](app);
        return app;
    }
}
