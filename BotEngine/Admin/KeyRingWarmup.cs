using Microsoft.AspNetCore.DataProtection;

namespace BotEngine.Admin;

/// <summary>
/// Loads the sign-in cookie's key ring (on a new data folder: creates its first key) once the server has answered its
/// first request, so the first sign-in does not wait for it and the first <c>/healthz</c> 200 does not either
/// (50-80 ms of CPU). Protecting a few bytes goes through the public API: it reads the key ring as a sign-in would.
/// </summary>
internal sealed class KeyRingWarmup(IDataProtectionProvider provider, ILogger<KeyRingWarmup> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            provider.CreateProtector("botengine.key-ring-warmup").Protect([1]);
        }
#pragma warning disable CA1031 // An unreadable key ring fails the sign-in itself, with its own error; here it is only noted.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogWarning(ex, "The admin sign-in key ring could not be loaded");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
