using System.Security.Cryptography;
using System.Text;

namespace PromptGen.Testing.Internal;

/// <summary>
/// Server-side SigV4 verification written independently of the client's signer: it rebuilds the canonical request
/// from what arrived on the wire (raw request target, the headers named in SignedHeaders, the body's SHA-256) and
/// checks the HMAC chain with System.Security.Cryptography.
/// </summary>
internal static class SigV4Verifier
{
    internal sealed record Result(bool Ok, int StatusCode, string ErrorType, string Message, string? Region);

    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string MismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public static Result Verify(
        string method, string rawTarget, Func<string, string?> header, byte[] body, string accessKeyId, string secretAccessKey, string service)
    {
        string? authorization = header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return Fail("Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return Fail("Authorization header requires '" + Algorithm + "' or 'Bearer' scheme.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (string part in authorization.Substring(Algorithm.Length + 1).Split(','))
        {
            string item = part.Trim();
            int eq = item.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            string name = item.Substring(0, eq), value = item.Substring(eq + 1);
            switch (name)
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        if (credential == null || signedHeaders == null || signature == null)
        {
            return Fail("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return Fail("Credential should be scoped to a valid region, service and aws4_request terminator.");
        }

        if (!string.Equals(scope[0], accessKeyId, StringComparison.Ordinal))
        {
            return new Result(false, 403, "UnrecognizedClientException", "The security token included in the request is invalid.", null);
        }

        string date = scope[1], region = scope[2];
        if (scope[3] != service)
        {
            return Fail($"Credential should be scoped to correct service: '{service}'.");
        }

        string? amzDate = header("x-amz-date");
        if (amzDate == null || amzDate.Length != 16 || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return Fail("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        }

        string[] names = signedHeaders.Split(';');
        if (!names.Contains("host"))
        {
            return Fail("'Host' must be a signed header.");
        }

        string bodyHash = Hex(SHA256.HashData(body));
        string? declaredHash = header("x-amz-content-sha256");
        if (declaredHash != null && declaredHash != "UNSIGNED-PAYLOAD" && !string.Equals(declaredHash, bodyHash, StringComparison.Ordinal))
        {
            return new Result(false, 400, "ValidationException", "The provided 'x-amz-content-sha256' header does not match what was computed.", region);
        }

        var canonical = new StringBuilder();
        int q = rawTarget.IndexOf('?');
        string path = q >= 0 ? rawTarget.Substring(0, q) : rawTarget;
        string query = q >= 0 ? rawTarget.Substring(q + 1) : string.Empty;
        canonical.Append(method).Append('\n');
        canonical.Append(CanonicalPath(path)).Append('\n');
        canonical.Append(CanonicalQuery(query)).Append('\n');
        foreach (string name in names)
        {
            string? value = header(name);
            if (value == null)
            {
                return Fail($"Signed header '{name}' is missing from the request.");
            }

            canonical.Append(name).Append(':').Append(CollapseSpaces(value)).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(bodyHash);

        string stringToSign = Algorithm + "\n" + amzDate + "\n" + date + "/" + region + "/" + service + "/aws4_request\n"
            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        byte[] key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        string expected = Hex(Hmac(key, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return Fail(MismatchMessage + "\n\nThe Canonical String for this request should have been\n'" + canonical + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n");
        }

        return new Result(true, 200, string.Empty, string.Empty, region);
    }

    private static Result Fail(string message) => new(false, 403, "InvalidSignatureException", message, null);

    /// <summary>Each segment of the already-encoded path is URI-encoded again (non-S3 services); no normalisation.</summary>
    internal static string CanonicalPath(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        string[] segments = rawPath.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = Encode(segments[i]);
        }

        return string.Join("/", segments);
    }

    internal static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (string part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            int eq = part.IndexOf('=');
            string key = eq >= 0 ? part.Substring(0, eq) : part;
            string value = eq >= 0 ? part.Substring(eq + 1) : string.Empty;
            pairs.Add((Encode(Uri.UnescapeDataString(key.Replace('+', ' '))), Encode(Uri.UnescapeDataString(value.Replace('+', ' ')))));
        }

        pairs.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join("&", pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding: everything but unreserved characters, as upper-case %XX of the UTF-8 bytes.</summary>
    internal static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var sb = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    sb.Append(c);
                }

                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }

        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
