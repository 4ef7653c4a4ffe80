using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PromptGen.Testing.Tests.Support;

/// <summary>A tiny test-only SigV4 signer (header signing, double-encoded path, signed body hash).</summary>
internal static class TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secret, string region = "us-east-1", string service = "bedrock", DateTimeOffset? at = null)
    {
        DateTimeOffset now = at ?? DateTimeOffset.UtcNow;
        string amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");
        string date = amzDate.Substring(0, 8);
        Uri uri = request.RequestUri!;
        string host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port;
        string bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        request.Headers.Host = host;
        request.Headers.Add("X-Amz-Date", amzDate);
        request.Headers.Add("X-Amz-Content-SHA256", bodyHash);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-date"] = amzDate,
            ["x-amz-content-sha256"] = bodyHash,
        };
        if (request.Content?.Headers.ContentType is MediaTypeHeaderValue contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        string path = string.Join("/", uri.AbsolutePath.Split('/').Select(s => Uri.EscapeDataString(s)));
        string signedHeaders = string.Join(";", headers.Keys);
        string canonical = "POST\n" + path + "\n\n" + string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")) + "\n" + signedHeaders + "\n" + bodyHash;
        string scope = date + "/" + region + "/" + service + "/aws4_request";
        string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (string part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }
}
