using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BotEngine.Admin;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Admin;

/// <summary>The admin rule (ASP.NET Core authentication and authorization), decided before any body is read.</summary>
public sealed class AdminAccessTests : EngineTest
{
    private const string Token = "admin-access-test-token-0123456789";
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(null, "X-Forwarded-For: 203.0.113.7")]
    [InlineData(Token, null)]
    public async Task A_refused_caller_gets_401_before_its_300_MB_body_is_read(string? token, string? proxyHeader)
    {
        Start(token is null ? [] : [("Admin:Token", token)]);
        await using var raw = await RawHttp.ConnectAsync(App.Client.BaseAddress!);
        string[] headers = ["Content-Type: application/json", "Content-Length: 300000000", .. proxyHeader is null ? [] : new[] { proxyHeader }];

        // Only the first kilobyte is ever sent: an answer proves nothing waited for (or buffered) the rest.
        await raw.SendAsync("POST", "/dev/api/messages", headers, new byte[1024], App.Client.BaseAddress!.Authority);

        Assert.Equal(401, await raw.ReadStatusAsync(AnswerWithin));
        Assert.Equal(0, App.Queue.Bodies);
    }

    [Fact]
    public async Task Invalid_json_from_a_refused_caller_is_401_not_400()
    {
        Start(("Admin:Token", Token));
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");

        using var response = await App.Client.PostAsync(new Uri("/dev/api/messages", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_every_proxy_header_from_loopback_is_refused()
    {
        Start();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/admin/dead-letters")).StatusCode);

        foreach (var header in LoopbackRule.ProxyHeaders)
        {
            using var response = await GetAsync("/admin/dead-letters", (header, "127.0.0.1"));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{header}: {response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/admin/dead-letters", ("Host", "bot.example.com"))).StatusCode);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Referer", "http://evil.example/page")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task A_write_from_another_site_is_refused_even_without_Sec_Fetch_Site(string header, string value)
    {
        Start();

        using var forged = await PostAsync("/admin/dead-letters/1/retry", (header, value));
        using var own = await PostAsync("/admin/dead-letters/1/retry", ("Origin", $"http://{App.Client.BaseAddress!.Authority}"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode); // admitted: there is no dead letter 1
    }

    [Fact]
    public async Task A_path_under_admin_that_no_group_protects_still_follows_the_rule()
    {
        Start();

        using var proxied = await PostAsync("/admin/not-mapped-anywhere", ("X-Forwarded-For", "203.0.113.7"));
        using var direct = await PostAsync("/admin/not-mapped-anywhere");

        Assert.Equal(HttpStatusCode.Unauthorized, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
    }

    [Fact]
    public async Task Metrics_follow_the_admin_rule_and_take_a_bearer_token_for_prometheus()
    {
        Start(("Admin:Token", Token));

        using var anonymous = await GetAsync("/metrics");
        using var scraper = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scraper.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var scraped = await App.Client.SendAsync(scraper);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("botengine_queue_depth", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Metrics_without_a_token_answer_loopback_but_not_a_proxy()
    {
        Start();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/metrics", ("X-Real-IP", "203.0.113.7"))).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_form_takes_a_few_attempts_a_minute_then_429_with_retry_after()
    {
        Start(("Admin:Token", Token));
        using var client = new HttpClient { BaseAddress = App.Client.BaseAddress };

        for (var i = 0; i < SignInRateLimit.Attempts; i++)
        {
            using var wrong = await SignInAsync(client, "guess-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await SignInAsync(client, Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.False(limited.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_restart_keeps_the_browser_signed_in_and_a_changed_token_signs_it_out()
    {
        Start(("Admin:Token", Token));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = App.Client.BaseAddress };
        using (var signedIn = await SignInAsync(client, Token))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/api/stats")).StatusCode);
        await RestartAsync(("Admin:Token", Token)); // a new port: cookies are per host, not per port
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(App.Client.BaseAddress!, "/admin/api/stats"))).StatusCode);
        await RestartAsync(("Admin:Token", Token + "-rotated"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(App.Client.BaseAddress!, "/admin/api/stats"))).StatusCode);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string token)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        return await client.PostAsync(new Uri("/admin/login", UriKind.Relative), form);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers) =>
        await SendAsync(HttpMethod.Get, path, headers);

    private async Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] headers) =>
        await SendAsync(HttpMethod.Post, path, headers);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            if (name == "Host") request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(name, value);
        }

        return await App.Client.SendAsync(request);
    }
}
