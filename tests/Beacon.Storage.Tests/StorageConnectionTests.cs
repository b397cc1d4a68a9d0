using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Beacon.Storage.Account;

namespace Beacon.Storage.Tests;

/// <summary>The Functions connection convention, and identity-based access that never sends a key.</summary>
public sealed class StorageConnectionTests
{
    private static Func<string, string?> Settings(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        var c = StorageConnection.FromSettings(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));
        Assert.Equal("UseDevelopmentStorage=true", c.ConnectionString);
        Assert.False(c.IsIdentityBased);
        var account = new StorageAccount(c);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", account.TableService.Uri.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", account.BlobService.Uri.AbsoluteUri.TrimEnd('/'));
    }

    [Fact]
    public void Missing_storage_settings_fail_fast_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings(_ => null));
        Assert.Contains("AzureWebJobsStorage", e.Message, StringComparison.Ordinal);
        Assert.Contains("__accountName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_name_means_its_public_endpoints_and_a_token_credential()
    {
        var c = StorageConnection.FromSettings(Settings(("AzureWebJobsStorage__accountName", "beaconprod")));
        Assert.True(c.IsIdentityBased);
        Assert.Equal("https://beaconprod.table.core.windows.net/", c.TableServiceUri!.AbsoluteUri);
        Assert.Equal("https://beaconprod.blob.core.windows.net/", c.BlobServiceUri!.AbsoluteUri);
        Assert.IsType<DefaultAzureCredential>(c.Credential);
    }

    [Fact]
    public void Explicit_service_uris_and_a_managed_identity_credential_are_honoured()
    {
        var c = StorageConnection.FromSettings(Settings(
            ("AzureWebJobsStorage__tableServiceUri", "https://t.example/"), ("AzureWebJobsStorage__blobServiceUri", "https://b.example/"),
            ("AzureWebJobsStorage__credential", "managedidentity"), ("AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001")));
        Assert.Equal(("https://t.example/", "https://b.example/"), (c.TableServiceUri!.AbsoluteUri, c.BlobServiceUri!.AbsoluteUri));
        Assert.IsType<ManagedIdentityCredential>(c.Credential);
    }

    [Fact]
    public async Task Identity_based_access_sends_bearer_tokens_for_the_storage_scope_and_never_a_shared_key()
    {
        var transport = new RecordingTransport();
        var account = new StorageAccount(
            new StorageConnection(null, new Uri("https://beaconprod.table.core.windows.net"), new Uri("https://beaconprod.blob.core.windows.net"), new FixedToken("token-for-test")),
            new StoragePipelineOptions { Transport = transport, MaxRetries = 0 });

        // The recording transport answers 404 to everything; only the requests matter here.
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => account.TableService.GetTableClient("Directory").GetEntityAsync<Azure.Data.Tables.TableEntity>("p", "r"));
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => account.BlobService.GetBlobContainerClient("beacon-keys").GetBlobClient("signing-keys.json").GetPropertiesAsync());

        Assert.Equal(["Bearer token-for-test", "Bearer token-for-test"], transport.Authorizations);
    }

    private sealed class FixedToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal(["https://storage.azure.com/.default"], requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers every request with 404 and remembers its Authorization header.</summary>
    private sealed class RecordingTransport : HttpPipelineTransport
    {
        public List<string> Authorizations { get; } = [];

        public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            Authorizations.Add(message.Request.Headers.TryGetValue("Authorization", out var a) ? a! : "");
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
