using BotEngine.Outbound;
using CsCheck;

namespace BotEngine.Tests.Outbound;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetrySettings Settings = new(8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    private static readonly Gen<RetrySettings> AnySettings = Gen.Select(Gen.Int[1, 100], Gen.Int[1, 10_000], Gen.Int[1, 3_600_000],
        (max, baseMs, capMs) => new RetrySettings(max, TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMilliseconds(Math.Max(baseMs, capMs))));

    private static readonly Gen<DeliveryResult> AnyResult = Gen.OneOf<DeliveryResult>(
        Gen.Int[0, 5].Select(parts => (DeliveryResult)new DeliveryResult.Delivered("sent", parts)),
        Gen.Int[0, 120_000].Select(ms => (DeliveryResult)new DeliveryResult.Retry(ms == 0 ? null : TimeSpan.FromMilliseconds(ms), "429")),
        Gen.Int[0, 120_000].Select(ms => (DeliveryResult)new DeliveryResult.Paused(ms == 0 ? null : Now.AddMilliseconds(ms), "down")),
        Gen.Const<DeliveryResult>(new DeliveryResult.Failed("400")));

    [Fact]
    public void A_counted_failure_backs_off_then_dead_letters_when_the_attempts_run_out()
    {
        var retry = Assert.IsType<RetryDecision.Retry>(RetryPolicy.Decide(new DeliveryResult.Retry(null, "500"), 3, false, null, Settings, Now, 0));
        var dead = Assert.IsType<RetryDecision.DeadLetter>(RetryPolicy.Decide(new DeliveryResult.Retry(null, "500"), 8, false, null, Settings, Now, 0));

        Assert.Equal(Now + TimeSpan.FromSeconds(2), retry.DueAt); // attempt 3: 4 s ceiling, half of it with random 0
        Assert.Equal("gave up after 8 attempts: 500", dead.Error);
    }

    [Fact]
    public void The_platform_s_wish_and_an_open_circuit_decide_when()
    {
        var wish = RetryPolicy.Decide(new DeliveryResult.Retry(TimeSpan.FromSeconds(30), "429"), 1, false, null, Settings, Now, 0.5);
        var outage = RetryPolicy.Decide(new DeliveryResult.Retry(null, "503"), 8, true, Now.AddMinutes(2), Settings, Now, 0.5);

        Assert.Equal(new RetryDecision.Retry(Now.AddSeconds(30), "429"), wish);
        Assert.Equal(new RetryDecision.Pause(Now.AddMinutes(2), "503"), outage); // the last attempt, yet not dead: not counted
    }

    [Fact]
    public void Whatever_happened_the_decision_keeps_the_rules()
    {
        Gen.Select(AnyResult, Gen.Long[1, 200], Gen.Bool, AnySettings, Gen.Double[0, 1]).Sample((result, attempts, open, settings, random) =>
        {
            var decision = RetryPolicy.Decide(result, attempts, open, null, settings, Now, random);
            return (result, decision) switch
            {
                (DeliveryResult.Delivered delivered, RetryDecision.Complete complete) => complete.Delivered == delivered,
                (DeliveryResult.Failed, RetryDecision.DeadLetter) => true,
                // Nothing sent, or the outage's fault: never counted, never dead, due in the future within the cap.
                (DeliveryResult.Paused or DeliveryResult.Retry, RetryDecision.Pause pause) =>
                    (result is DeliveryResult.Paused || open) && pause.DueAt > Now
                    && (result is DeliveryResult.Paused { Until: not null } || pause.DueAt <= Now + settings.MaxDelay),
                (DeliveryResult.Retry r, RetryDecision.Retry retry) => !open && attempts < settings.MaxAttempts
                    && retry.DueAt > Now && retry.DueAt <= Now + (r.After ?? settings.MaxDelay),
                (DeliveryResult.Retry, RetryDecision.DeadLetter) => !open && attempts >= settings.MaxAttempts,
                _ => false,
            };
        });
    }
}
