using System.Security.Cryptography;
using System.Text;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using Microsoft.Extensions.Options;

namespace BotEngine.Tests.Channels.Line;

public sealed class LineSignatureTests
{
    private const string Secret = "8f3c1b2a9d4e5f60718293a4b5c6d7e8";
    private static readonly byte[] Body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));

    private static LineSignature Verifier(string? secret = Secret) =>
        new(Options.Create(new LineOptions { ChannelSecret = secret }));

    [Fact]
    public void Accepts_the_signature_line_computes_over_the_raw_body()
    {
        Assert.True(Verifier().IsValid(LineFixtures.Sign(Secret, Body), Body));
    }

    [Fact]
    public void Matches_a_known_hmac_sha256_vector()
    {
        // The textbook HMAC-SHA256 example (key "key"), checked against Python's hmac module.
        var body = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=", LineSignature.Sign("key", body));
    }

    [Fact]
    public void Accepts_an_empty_events_body_signed_correctly()
    {
        var body = LineFixtures.Body();
        Assert.True(Verifier().IsValid(LineFixtures.Sign(Secret, body), body));
    }

    [Fact]
    public void Rejects_a_signature_made_with_another_secret()
    {
        Assert.False(Verifier().IsValid(LineFixtures.Sign("another-secret", Body), Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_a_missing_header(string? header)
    {
        Assert.False(Verifier().IsValid(header, Body));
    }

    [Fact]
    public void Rejects_a_body_changed_after_signing()
    {
        var header = LineFixtures.Sign(Secret, Body);
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 0x01;
        Assert.False(Verifier().IsValid(header, tampered));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("@@@@")]
    [InlineData("AAAA=")]
    public void Rejects_a_header_that_is_not_base64(string header)
    {
        Assert.False(Verifier().IsValid(header, Body));
    }

    [Fact]
    public void Rejects_a_base64_header_of_the_wrong_length()
    {
        var full = Convert.FromBase64String(LineFixtures.Sign(Secret, Body));
        Assert.False(Verifier().IsValid(Convert.ToBase64String(full[..16]), Body));
        Assert.False(Verifier().IsValid(Convert.ToBase64String([.. full, 0]), Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_everything_when_the_secret_is_unset(string? secret)
    {
        var signedWithEmpty = Convert.ToBase64String(HMACSHA256.HashData(Array.Empty<byte>(), Body));
        Assert.False(Verifier(secret).IsValid(signedWithEmpty, Body));
        Assert.False(Verifier(secret).IsValid(LineFixtures.Sign(Secret, Body), Body));
    }
}
