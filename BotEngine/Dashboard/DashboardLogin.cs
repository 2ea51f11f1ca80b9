using System.Net;
using BotEngine.Admin;

namespace BotEngine.Dashboard;

/// <summary>
/// Signing a browser in when <c>Admin:Token</c> is set: <c>GET /admin</c> without access shows a form, the form posts
/// the token once to <c>POST /admin/login</c> (in the body: never in a URL, a proxy log or the history), which sets
/// <see cref="AdminCookie"/> and goes back to the page that asked (<c>?return=/dev</c>: the dev page) or the
/// dashboard. Without a token there is no sign-in: loopback only.
/// </summary>
internal static class DashboardLogin
{
    private const string LoopbackOnly =
        "The dashboard answers only direct loopback requests. Set Admin:Token to use it from elsewhere (e.g. behind a proxy).\n";

    private const string FormCsp =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    // Only our own pages (the dashboard, each AdminPage): a return address from the query string must never send
    // the browser elsewhere.
    private const string DashboardPath = "/admin";

    private const string Form = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>BotEngine · sign in</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%232563eb'/%3E%3Cpath d='M3.5 4.5h9v5.5h-5l-3 2.5v-2.5h-1z' fill='%23fff'/%3E%3C/svg%3E">
        <style>
          body { font: 15px system-ui, sans-serif; background: #f4f5f7; color: #1f2328; display: grid;
                 place-items: center; min-height: 90vh; margin: 0; }
          form { background: #fff; padding: 24px 28px; border-radius: 8px; box-shadow: 0 1px 3px #0002; width: 300px; }
          h1 { font-size: 18px; margin: 0 0 14px; } p { color: #b42318; margin: 0 0 10px; }
          input, button { font: inherit; width: 100%; box-sizing: border-box; padding: 8px; margin-top: 6px; }
          button { background: #2563eb; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
        </style></head>
        <body><form method="post" action="/admin/login">
          <h1>BotEngine {{what}}</h1>{{message}}
          <input type="hidden" name="return" value="{{return}}">
          <label>Admin token <input type="password" name="token" autocomplete="current-password" autofocus required></label>
          <button type="submit">Sign in</button>
        </form></body></html>
        """;

    /// <summary>What <c>GET /admin</c> answers a request without access.</summary>
    public static IResult Challenge(HttpContext http, AdminOptions admin, bool failed = false, string? returnTo = null)
    {
        if (!AdminToken.IsSet(admin))
        {
            return Results.Text(LoopbackOnly, "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Response.Headers.ContentSecurityPolicy = FormCsp; // the form's own inline style, nothing else
        var target = ReturnPath(http, returnTo ?? http.Request.Query["return"].ToString());
        var page = Pages(http).FirstOrDefault(p => p.Path == target);
        var html = Form
            .Replace("{{what}}", page?.Title ?? "dashboard", StringComparison.Ordinal)
            .Replace("{{message}}", failed ? "<p>That is not the admin token.</p>" : "", StringComparison.Ordinal)
            .Replace("{{return}}", WebUtility.HtmlEncode(target), StringComparison.Ordinal);
        return Results.Text(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
    }

    public static async Task<IResult> SignInAsync(HttpContext http, AdminOptions admin)
    {
        if (!SameOrigin.Allows(http.Request))
        {
            return Results.Json(new { error = SameOrigin.Refused }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!AdminToken.IsSet(admin) || !http.Request.HasFormContentType)
        {
            return Challenge(http, admin);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnTo = ReturnPath(http, form["return"].ToString());
        if (!AdminToken.Matches(admin, form["token"].ToString()))
        {
            return Challenge(http, admin, failed: true, returnTo);
        }

        await AdminCookie.SignInAsync(http, admin);
        return Results.Redirect(returnTo); // 302 after a POST: the browser comes back with a GET
    }

    private static string ReturnPath(HttpContext http, string? requested) =>
        Pages(http).FirstOrDefault(p => p.Path == requested)?.Path ?? DashboardPath;

    private static IEnumerable<AdminPage> Pages(HttpContext http) => http.RequestServices.GetServices<AdminPage>();
}
