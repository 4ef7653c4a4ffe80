using System.Text;
using PromptGen.Signing;

namespace PromptGen.Runtime.Tests.Signing;

/// <summary>
/// Header-signing cases of both SigV4 suites in ../shared/vectors/sigv4 (PROVENANCE.md §2a, §2b): canonical request,
/// string to sign, signature, Authorization and signed request compared exactly.
/// </summary>
/// <remarks>
/// Skipped on purpose (presigned URLs are not implemented; PromptGen only signs with headers): every query-string
/// variant of the smithy-rs v4 suite, i.e. query-canonical-request.txt / query-string-to-sign.txt /
/// query-signature.txt / query-signed-request.txt (152 files) of the 38 cases that have a context.json:
/// get-header-key-duplicate, get-header-value-multiline, get-header-value-order, get-header-value-trim,
/// get-relative-normalized, get-relative-relative-normalized, get-relative-relative-unnormalized,
/// get-relative-unnormalized, get-slash-dot-slash-normalized, get-slash-dot-slash-unnormalized, get-slash-normalized,
/// get-slash-pointless-dot-normalized, get-slash-pointless-dot-unnormalized, get-slash-unnormalized,
/// get-slashes-normalized, get-slashes-unnormalized, get-space-normalized, get-space-unnormalized, get-unreserved,
/// get-utf8, get-vanilla, get-vanilla-empty-query-key, get-vanilla-query, get-vanilla-query-order-encoded,
/// get-vanilla-query-order-key-case, get-vanilla-query-unreserved, get-vanilla-utf8-query,
/// get-vanilla-with-session-token, post-header-key-case, post-header-key-sort, post-header-value-case,
/// post-sts-header-after, post-sts-header-before, post-vanilla, post-vanilla-empty-query-value, post-vanilla-query,
/// post-x-www-form-urlencoded, post-x-www-form-urlencoded-parameters. No header-signing case is skipped.
/// </remarks>
public sealed class SigV4SuiteTests
{
    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (SigV4SuiteCase c in SigV4SuiteCase.All())
        {
            data.Add(c.Id);
        }

        return data;
    }

    private static SigV4SuiteCase Find(string id) => SigV4SuiteCase.All().Single(c => c.Id == id);

    [Fact]
    public void Suites_AreAllDiscovered()
    {
        Assert.Equal(34, SigV4SuiteCase.Botocore().Count());  // 24 top-level + 8 normalize-path + 2 post-sts-token
        Assert.Equal(38, SigV4SuiteCase.Smithy().Count());
        Assert.Equal(2, SigV4SuiteCase.Special().Count());
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void HeaderSigning_MatchesVector(string id)
    {
        SigV4SuiteCase c = Find(id);
        ParsedRequest request = c.Parse();
        string amzDate = SigV4Signer.FormatAmzDate(c.Time);

        var headers = new List<KeyValuePair<string, string>>(request.Headers);
        var added = new List<string>();
        if (!request.Has("X-Amz-Date"))
        {
            headers.Add(new("X-Amz-Date", amzDate));
            added.Add("X-Amz-Date:" + amzDate);
        }

        if (c.Token is not null && !c.OmitSessionToken && !request.Has("X-Amz-Security-Token"))
        {
            headers.Add(new("X-Amz-Security-Token", c.Token));
            added.Add("X-Amz-Security-Token:" + c.Token);
        }

        string payloadHash = SigV4Signer.Sha256Hex(request.Body);
        if (c.SignBody)
        {
            headers.Add(new("X-Amz-Content-SHA256", payloadHash));
            added.Add("X-Amz-Content-SHA256:" + payloadHash);
        }

        string canonicalUri = SigV4Signer.CanonicalUri(request.Path, c.DoubleEncode, c.Normalize);
        string canonicalQuery = SigV4Signer.CanonicalQuery(request.Query);
        string canonicalRequest = SigV4Signer.CanonicalRequest(request.Method, canonicalUri, canonicalQuery, headers, payloadHash,
            out string signedHeaders);
        string stringToSign = SigV4Signer.StringToSign(c.Time, c.Region, c.Service, canonicalRequest);
        string signature = SigV4Signer.Signature(c.Secret, c.Time, c.Region, c.Service, stringToSign);
        string authorization = SigV4Signer.AuthorizationHeader(c.AccessKey, c.Time, c.Region, c.Service, signedHeaders, signature);

        if (c.ExpectedCanonicalRequest is not null)
        {
            Assert.Equal(c.ExpectedCanonicalRequest, canonicalRequest);
        }

        if (c.ExpectedStringToSign is not null)
        {
            Assert.Equal(c.ExpectedStringToSign, stringToSign);
        }

        if (c.ExpectedSignature is not null)
        {
            Assert.Equal(c.ExpectedSignature, signature);
        }

        if (c.ExpectedAuthorization is not null)
        {
            Assert.Equal(c.ExpectedAuthorization, authorization);
        }

        // Signed request: same request line and body; header lines = the input's + the ones the signer adds
        // (+ the session token when it is added after signing) + Authorization.
        Assert.NotNull(c.ExpectedSignedRequest);
        ParsedRequest expected = ParsedRequest.Parse(c.ExpectedSignedRequest!);
        Assert.Equal(request.Method, expected.Method);
        // Quirk: smithy-rs changed get-space-normalized's request.txt to "/example%20space/" but not its signed request.
        Assert.Equal(request.Target, c.Id == "smithy/get-space-normalized" ? expected.Target.Replace(" ", "%20", StringComparison.Ordinal) : expected.Target);
        Assert.Equal(Encoding.UTF8.GetString(request.Body).TrimEnd('\n'), Encoding.UTF8.GetString(expected.Body).TrimEnd('\n'));
        var ours = new List<string>(request.HeaderLines);
        ours.AddRange(added);
        if (c.Token is not null && c.OmitSessionToken)
        {
            ours.Add("X-Amz-Security-Token:" + c.Token);
        }

        string expectedAuthorization = expected.Headers.Single(h => h.Key == "Authorization").Value.Trim();
        if (c.Id == "botocore/get-vanilla-with-session-token")
        {
            // Upstream quirk: this .sreq carries get-vanilla's signature (5fa00fa3…), although its SignedHeaders list and
            // the case's own .authz (checked above, and equal to smithy-rs's header-signature.txt) say 07ec1639….
            const string vanillaSignature = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
            Assert.EndsWith("Signature=" + vanillaSignature, expectedAuthorization, StringComparison.Ordinal);
            expectedAuthorization = expectedAuthorization.Replace(vanillaSignature, signature, StringComparison.Ordinal);
        }

        Assert.Equal(expectedAuthorization, authorization);
        var expectedLines = expected.HeaderLines.Where(l => !l.StartsWith("Authorization:", StringComparison.Ordinal)).ToList();
        Assert.Equal(ParsedRequest.NormalizedLines(expectedLines), ParsedRequest.NormalizedLines(ours));
    }

    [Fact]
    public void DoubleEncodePath_CanonicalRequestAtItsOwnDate()
    {
        // The vector's canonical request was produced with x-amz-date 20210511T154045Z (PROVENANCE.md §2b quirk).
        string dir = Path.Combine(SigV4SuiteCase.SmithyRoot, "double-encode-path");
        ParsedRequest request = ParsedRequest.Parse(File.ReadAllText(Path.Combine(dir, "request.txt")));
        var headers = request.Headers
            .Select(h => h.Key.Equals("X-amz-date", StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, "20210511T154045Z") : h)
            .ToList();
        string canonicalUri = SigV4Signer.CanonicalUri(request.Path, doubleEncode: true, normalize: true);
        Assert.Equal("/test/%40connections/JBDvjfGEIAMCERw%253D", canonicalUri);
        string canonicalRequest = SigV4Signer.CanonicalRequest(request.Method, canonicalUri, SigV4Signer.CanonicalQuery(request.Query),
            headers, SigV4Signer.EmptyPayloadHash, out string signedHeaders);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "header-canonical-request.txt")), canonicalRequest);
        Assert.Equal("host;x-amz-date", signedHeaders);
    }

    [Fact]
    public void DoubleUrlEncode_CanonicalUri()
    {
        Assert.Equal(
            "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-west-2%253A892717189312%253Afunction%253Amy-rusty-fun/invocations",
            SigV4Signer.CanonicalUri(
                "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A892717189312%3Afunction%3Amy-rusty-fun/invocations",
                doubleEncode: true, normalize: true));
    }

    // ------------------------------------------------------------------ end to end through Sign(HttpRequestMessage)

    /// <summary>
    /// Cases whose request an HttpRequestMessage can carry unchanged, signed end to end with <see cref="SigV4Signer.Sign"/>.
    /// Not here (covered by the piecewise test above), because the HTTP stack cannot express the vector's input:
    /// path cases with raw spaces / UTF-8 / '$' (the suites give the unencoded resource path; a Uri carries the wire
    /// path, which non-S3 SigV4 encodes again) and the relative/slash normalisation cases (System.Uri already rewrites
    /// dot segments); repeated headers (HttpClient sends them as one line joined by ", "); obs-folded values (.NET rejects
    /// CR/LF in header values); smithy form-urlencoded cases (they sign Content-Length, which Sign leaves to HttpClient);
    /// post-sts-header-after (Sign always signs the token).
    /// </summary>
    public static TheoryData<string> EndToEndCases() => new()
    {
        "botocore/get-vanilla", "botocore/get-vanilla-query", "botocore/get-vanilla-empty-query-key",
        "botocore/get-vanilla-query-order-key-case", "botocore/get-vanilla-query-order-encoded",
        "botocore/get-vanilla-query-order-key", "botocore/get-vanilla-query-order-value",
        "botocore/get-vanilla-query-unreserved", "botocore/get-vanilla-utf8-query", "botocore/get-vanilla-with-session-token",
        "botocore/get-unreserved", "botocore/get-header-value-trim", "botocore/post-header-key-case",
        "botocore/post-header-key-sort", "botocore/post-header-value-case", "botocore/post-sts-token/post-sts-header-before",
        "botocore/post-vanilla", "botocore/post-vanilla-query", "botocore/post-vanilla-empty-query-value",
        "botocore/post-x-www-form-urlencoded", "botocore/post-x-www-form-urlencoded-parameters",
        "smithy/get-vanilla", "smithy/get-vanilla-query-order-key-case", "smithy/get-vanilla-with-session-token",
        "smithy/get-vanilla-utf8-query", "smithy/post-header-key-case", "smithy/post-sts-header-before", "smithy/post-vanilla-query",
        "smithy/double-url-encode", "smithy/double-encode-path",
    };

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Sign_HttpRequestMessage_MatchesVector(string id)
    {
        SigV4SuiteCase c = Find(id);
        ParsedRequest parsed = c.Parse();
        string host = parsed.Headers.Single(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value.Trim();
        string target = parsed.Query.Length == 0 ? parsed.Path : parsed.Path + "?" + parsed.Query;
        using var request = new HttpRequestMessage(new HttpMethod(parsed.Method), new Uri("https://" + host + target));
        if (parsed.Body.Length > 0 || parsed.Has("Content-Type"))
        {
            request.Content = new ByteArrayContent(parsed.Body);
        }

        foreach (KeyValuePair<string, string> header in parsed.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) ||
                (header.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase) && c.Token is not null))
            {
                continue;
            }

            if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                Assert.True(request.Content!.Headers.TryAddWithoutValidation(header.Key, header.Value));
            }
            else
            {
                Assert.True(request.Headers.TryAddWithoutValidation(header.Key, header.Value));
            }
        }

        var credentials = new SigningCredentials(c.AccessKey, c.Secret, c.Token);
        SigV4Signer.Sign(request, parsed.Body, credentials, c.Region, c.Service, c.Time, c.SignBody);

        ParsedRequest expected = ParsedRequest.Parse(c.ExpectedSignedRequest!);
        string expectedAuthorization = c.ExpectedAuthorization ?? expected.Headers.Single(h => h.Key == "Authorization").Value.Trim();
        Assert.Equal(expectedAuthorization, Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(SigV4Signer.FormatAmzDate(c.Time), Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        if (c.Token is not null)
        {
            Assert.Equal(c.Token, Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        }
        else
        {
            Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        }

        Assert.Equal(c.SignBody, request.Headers.Contains("X-Amz-Content-SHA256"));
    }
}
