using System.Text;
using BotEngine.Channels.Messenger;
using Microsoft.Extensions.Options;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerSignatureTests
{
    private static readonly byte[] Body = MessengerFixtures.Body(MessengerFixtures.Text(MessengerFixtures.NewPsid(), "ping"));

    private static MessengerSignature Verifier(string? secret = FakeGraphApi.AppSecret) =>
        new(Options.Create(new MessengerOptions { AppSecret = secret }));

    [Fact]
    public void Matches_a_known_hmac_sha256_vector_in_lowercase_hex()
    {
        // The textbook HMAC-SHA256 example (key "key"), checked against Python's hmac module.
        var body = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
            MessengerSignature.Sign("key", body));
    }

    [Fact]
    public void Accepts_the_signature_meta_computes_over_the_raw_body()
    {
        Assert.True(Verifier().IsValid(MessengerSignature.Sign(FakeGraphApi.AppSecret, Body), Body));
    }

    [Fact]
    public void Rejects_another_secret_another_body_and_no_secret_configured()
    {
        var signature = MessengerSignature.Sign(FakeGraphApi.AppSecret, Body);

        Assert.False(Verifier().IsValid(MessengerSignature.Sign("another-secret", Body), Body));
        Assert.False(Verifier().IsValid(signature, [.. Body, (byte)' ']));
        Assert.False(Verifier(secret: null).IsValid(signature, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd")]
    [InlineData("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8ff")]
    public void Rejects_headers_that_are_not_sha256_and_64_hex_digits(string? header)
    {
        Assert.False(Verifier(secret: "key").IsValid(header, Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog")));
    }
}
