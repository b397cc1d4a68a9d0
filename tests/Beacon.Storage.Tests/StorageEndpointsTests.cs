using Azure.Core;
using Azure.Core.Pipeline;
using Beacon.Storage.Client;

namespace Beacon.Storage.Tests;

public sealed class StorageEndpointsTests
{
    [Fact]
    public void Development_storage_means_azurite_on_its_default_ports_with_the_well_known_key()
    {
        var e = StorageEndpoints.FromSettings(n => n == "AzureWebJobsStorage" ? "UseDevelopmentStorage=true" : null);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", e.TableUri.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", e.BlobUri.AbsoluteUri.TrimEnd('/'));
        Assert.NotNull(e.AccountKey);
        Assert.Null(e.Credential);
    }

    [Fact]
    public void A_connection_string_with_explicit_endpoints_round_trips()
    {
        var e = StorageEndpoints.Azurite("127.0.0.1", 1234, 5678);
        var again = StorageEndpoints.FromConnectionString(e.ToConnectionString());
        Assert.Equal((e.TableUri, e.BlobUri, e.AccountName), (again.TableUri, again.BlobUri, again.AccountName));
        Assert.Equal(e.AccountKey, again.AccountKey);
    }

    [Fact]
    public void Missing_storage_settings_fail_fast_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageEndpoints.FromSettings(_ => null));
        Assert.Contains("AzureWebJobsStorage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_based_settings_use_a_token_credential_and_send_bearer_tokens_never_a_key()
    {
        var e = StorageEndpoints.FromSettings(n => n == "AzureWebJobsStorage__accountName" ? "beaconprod" : null);
        Assert.Equal("https://beaconprod.table.core.windows.net/", e.TableUri.AbsoluteUri);
        Assert.Equal("https://beaconprod.blob.core.windows.net/", e.BlobUri.AbsoluteUri);
        Assert.Null(e.AccountKey);
        Assert.NotNull(e.Credential);
        Assert.Throws<InvalidOperationException>(() => e.ToConnectionString());

        var transport = new RecordingTransport();
        var account = new StorageAccount(e with { Credential = new FixedToken("token-for-test") }, new StorageClientOptions { Transport = transport });
        Assert.Null(await account.GetTable("Directory").GetAsync("p", "r"));
        Assert.Null(await account.GetContainer("beacon-keys").GetPropertiesAsync("signing-keys.json"));

        Assert.Equal(["Bearer token-for-test", "Bearer token-for-test"], transport.Authorizations);
        Assert.Equal(["2020-12-06", "2021-12-02"], transport.Versions);
    }

    private sealed class FixedToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal(["https://storage.azure.com/.default"], requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers every request with 404 and remembers what was sent.</summary>
    private sealed class RecordingTransport : HttpPipelineTransport
    {
        public List<string> Authorizations { get; } = [];
        public List<string> Versions { get; } = [];

        public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            message.Request.Headers.TryGetValue("Authorization", out var auth);
            message.Request.Headers.TryGetValue("x-ms-version", out var version);
            Authorizations.Add(auth ?? "");
            Versions.Add(version ?? "");
            message.Response = new NotFound();
            return ValueTask.CompletedTask;
        }

        private sealed class NotFound : Azure.Response
        {
            public override int Status => 404;
            public override string ReasonPhrase => "Not Found";
            public override Stream? ContentStream { get; set; } = new MemoryStream();
            public override string ClientRequestId { get; set; } = "";
            public override void Dispose() { }
            protected override bool ContainsHeader(string name) => false;
            protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
            protected override bool TryGetHeader(string name, out string value) { value = ""; return false; }
            protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values) { values = []; return false; }
        }
    }
}
