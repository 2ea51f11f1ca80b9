using System.Net;
using BotEngine.Ingress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Ingress;

/// <summary>The outermost middleware on its own: an endpoint's bug is a plain 500, never its stack trace.</summary>
public sealed class HttpEdgeTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Development")] // where ASP.NET Core would otherwise show its developer exception page
    public async Task An_unexpected_error_is_a_plain_500_without_a_stack_trace(string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddHttpEdge();
        await using var app = builder.Build();
        app.UseHttpEdge();
        app.MapGet("/explode", string () => throw new InvalidOperationException("secret internals at line 42"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await client.GetAsync(new Uri("/explode", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("secret internals", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        await app.StopAsync();
    }
}
