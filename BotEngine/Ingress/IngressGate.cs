namespace BotEngine.Ingress;

/// <summary>Closed when the engine starts stopping: webhooks that still arrive get 503 and the platform retries.</summary>
internal sealed class IngressGate
{
    private volatile bool _closed;

    public IngressGate(IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.Register(Close);

    public bool IsOpen => !_closed;

    public void Close() => _closed = true;
}
