using System.Net;
using System.Net.Http.Headers;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Dashboard;

public sealed class DashboardAccessTests : EngineTest
{
    private const string Token = "dashboard-test-admin-token-0123456789";

    [Fact]
    public async Task Dashboard_is_served_on_loopback_without_a_token_with_its_embedded_assets()
    {
        Start();

        using var page = await App.Client.GetAsync("/admin");
        using var script = await App.Client.GetAsync("/admin/assets/vendor/uplot/uPlot.iife.min.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("uPlot", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var revalidated = new HttpRequestMessage(HttpMethod.Get, "/admin/assets/dashboard.js");
        revalidated.Headers.IfNoneMatch.Add(
            (await App.Client.GetAsync("/admin/assets/dashboard.js")).Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await App.Client.SendAsync(revalidated)).StatusCode);
    }

    [Fact]
    public async Task With_a_token_the_page_asks_to_sign_in_and_the_cookie_then_opens_page_and_api()
    {
        Start(("Admin:Token", Token));

        using var challenge = await App.Client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/admin/login\">", await challenge.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Client.GetAsync("/admin/api/stats")).StatusCode);

        using var wrong = await SignInAsync("not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var signedIn = await SignInAsync(Token);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var pair = cookie.Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/admin", pair)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/admin/api/stats", pair)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/admin/dead-letters", pair)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync("/admin/api/stats", pair + "x")).StatusCode);
    }

    [Fact]
    public async Task Bearer_token_opens_the_stats_api_and_a_cross_site_write_is_refused()
    {
        Start(("Admin:Token", Token));

        using var stats = new HttpRequestMessage(HttpMethod.Get, "/admin/api/stats");
        stats.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await App.Client.SendAsync(stats)).StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/admin/dead-letters/1/retry");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        forged.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await App.Client.SendAsync(forged)).StatusCode);
    }

    // A client that shows redirects and sends only the cookies a test gives it.
    private HttpClient Browserless() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = App.Client.BaseAddress,
        };

    private async Task<HttpResponseMessage> SignInAsync(string token)
    {
        using var client = Browserless();
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        return await client.PostAsync("/admin/login", form);
    }

    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var client = Browserless();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}
