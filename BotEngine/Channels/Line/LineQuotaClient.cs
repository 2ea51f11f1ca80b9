using BotEngine.Channels.Line.Dto;
using BotEngine.Outbound.Transport;

namespace BotEngine.Channels.Line;

/// <summary><c>GET /v2/bot/message/quota</c> and <c>/quota/consumption</c>, on a client of its own (see registration).</summary>
internal sealed class LineQuotaClient(HttpClient http)
{
    public const string QuotaPath = "v2/bot/message/quota";
    public const string ConsumptionPath = "v2/bot/message/quota/consumption";

    public async Task<LineQuotaReading> ReadQuotaAsync(CancellationToken ct)
    {
        try
        {
            var quota = await http.GetFromJsonAsync(QuotaPath, MessagingApiJson.Default.MessageQuotaResponse, ct);
            var used = await http.GetFromJsonAsync(ConsumptionPath, MessagingApiJson.Default.QuotaConsumptionResponse, ct);
            if (quota is null || used is null) return LineQuotaReading.Failed("empty answer");
            return new LineQuotaReading(quota.Type == "limited" ? quota.Value : null, used.TotalUsage);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to read the quota is reported as such; sending does not depend on it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return LineQuotaReading.Failed(e is HttpRequestException { StatusCode: { } status }
                ? $"HTTP {(int)status}" : TransportFailure.Describe(e));
        }
    }
}
