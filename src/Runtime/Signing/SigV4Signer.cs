using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace PromptGen.Signing;

/// <summary>
/// AWS Signature Version 4 (header signing, AWS4-HMAC-SHA256) for HttpRequestMessage, with the pieces exposed for
/// the AWS signing test suites. Uses System.Security.Cryptography one-shot HMAC/SHA-256 and caches derived signing
/// keys per (secret, date, region, service).
/// </summary>
internal static class SigV4Signer
{
    /// <summary>The algorithm name in the string to sign and the Authorization header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Hex SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string HexLower = "0123456789abcdef";
    private const string HexUpper = "0123456789ABCDEF";
    private const int StackLimit = 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    /// <summary>
    /// Signs <paramref name="request"/> in place. <paramref name="body"/> is the exact payload that will be sent.
    /// Removes any earlier signature headers, then adds X-Amz-Date, X-Amz-Security-Token (temporary credentials),
    /// X-Amz-Content-SHA256 (only when <paramref name="signBody"/>) and Authorization.
    /// Signed headers: host (the Host header if set, else the URI authority with the port only when non-default), every
    /// request header and content header except Authorization, Content-Length, User-Agent, X-Amzn-Trace-Id, Expect and
    /// hop-by-hop headers. Several values of one header are joined with ", " exactly as HttpClient writes them.
    /// The canonical URI is <see cref="Uri.AbsolutePath"/> (already percent-encoded once) encoded again and normalised
    /// (non-S3 rules); for service "s3" it is used as sent, without normalisation.
    /// </summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, SigningCredentials credentials, string region,
        string service, DateTimeOffset signingTime, bool signBody = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        Uri uri = request.RequestUri ?? throw new ArgumentException("The request has no RequestUri.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(request));
        }

        string amzDate = FormatAmzDate(signingTime);
        string payloadHash = body.IsEmpty ? EmptyPayloadHash : Sha256Hex(body);

        HttpRequestHeaders headers = request.Headers;
        headers.Remove("Authorization");
        headers.Remove("X-Amz-Date");
        headers.Remove("X-Amz-Security-Token");
        headers.Remove("X-Amz-Content-SHA256");
        headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (credentials.SessionToken is not null)
        {
            headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        if (signBody)
        {
            headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        }

        var list = new List<KeyValuePair<string, string>>(8);
        list.Add(new KeyValuePair<string, string>("host", headers.Host ?? HostFromUri(uri)));
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            if (!IsUnsigned(header.Key) && !string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase))
            {
                list.Add(new KeyValuePair<string, string>(header.Key, JoinValues(header.Value)));
            }
        }

        if (request.Content is not null)
        {
            foreach (KeyValuePair<string, HeaderStringValues> header in request.Content.Headers.NonValidated)
            {
                if (!IsUnsigned(header.Key))
                {
                    list.Add(new KeyValuePair<string, string>(header.Key, JoinValues(header.Value)));
                }
            }
        }

        bool s3 = string.Equals(service, "s3", StringComparison.Ordinal);
        string canonicalUri = CanonicalUri(uri.AbsolutePath, doubleEncode: !s3, normalize: !s3);
        string canonicalQuery = uri.Query.Length == 0 ? string.Empty : CanonicalQuery(uri.Query);

        // The hot path hashes the canonical request and the string to sign straight from pooled buffers: the same bytes
        // as CanonicalRequest/StringToSign/Signature produce (the vector suites check those), without their strings.
        StringBuilder sb = RentBuilder();
        AppendCanonicalRequest(sb, request.Method.Method, canonicalUri, canonicalQuery, list, payloadHash, out string signedHeaders);
        Span<byte> requestHash = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(sb, requestHash);
        sb.Clear();
        sb.Append(Algorithm).Append('\n').Append(amzDate).Append('\n');
        AppendCredentialScope(sb, signingTime, region, service);
        sb.Append('\n');
        AppendHexLower(sb, requestHash);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HmacUtf8(SigningKeyCache.Get(credentials.SecretAccessKey, signingTime.UtcDateTime, region, service), sb, mac);

        sb.Clear();
        sb.Append(Algorithm).Append(" Credential=").Append(credentials.AccessKeyId).Append('/');
        AppendCredentialScope(sb, signingTime, region, service);
        sb.Append(", SignedHeaders=").Append(signedHeaders).Append(", Signature=");
        AppendHexLower(sb, mac);
        string authorization = sb.ToString();
        ReturnBuilder(sb);
        headers.TryAddWithoutValidation("Authorization", authorization);
    }

    private static void AppendCredentialScope(StringBuilder sb, DateTimeOffset signingTime, string region, string service)
    {
        DateTime utc = signingTime.UtcDateTime;
        AppendDigits(sb, utc.Year, 4);
        AppendDigits(sb, utc.Month, 2);
        AppendDigits(sb, utc.Day, 2);
        sb.Append('/').Append(region).Append('/').Append(service).Append("/aws4_request");
    }

    private static void AppendDigits(StringBuilder sb, int value, int digits)
    {
        Span<char> chars = stackalloc char[digits];
        for (int i = digits - 1; i >= 0; i--)
        {
            chars[i] = (char)('0' + (value % 10));
            value /= 10;
        }

        sb.Append(chars);
    }

    private static void AppendHexLower(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = HexLower[bytes[i] >> 4];
            chars[(2 * i) + 1] = HexLower[bytes[i] & 0xF];
        }

        sb.Append(chars);
    }

    /// <summary>SHA-256 of the UTF-8 bytes of a builder's text, without materialising the string.</summary>
    private static void HashUtf8(StringBuilder sb, Span<byte> destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(sb.Length));
        try
        {
            int count = 0;
            foreach (ReadOnlyMemory<char> chunk in sb.GetChunks())
            {
                count += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(count));
            }

            SHA256.HashData(buffer.AsSpan(0, count), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>HMAC-SHA256 of the UTF-8 bytes of a builder's text.</summary>
    private static void HmacUtf8(ReadOnlySpan<byte> key, StringBuilder sb, Span<byte> destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(sb.Length));
        try
        {
            int count = 0;
            foreach (ReadOnlyMemory<char> chunk in sb.GetChunks())
            {
                count += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(count));
            }

            HMACSHA256.HashData(key, buffer.AsSpan(0, count), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The canonical request: method, canonical URI, canonical query, canonical headers (names lower-cased; values
    /// trimmed with inner whitespace runs, including folded line breaks, collapsed to one space; repeated names joined
    /// with "," in their given order; sorted by name), the signed-header list and the payload hash, separated by '\n'.
    /// </summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery,
        IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(canonicalUri);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(payloadHash);

        StringBuilder sb = RentBuilder();
        AppendCanonicalRequest(sb, method, canonicalUri, canonicalQuery, headers, payloadHash, out signedHeaders);
        string result = sb.ToString();
        ReturnBuilder(sb);
        return result;
    }

    private static void AppendCanonicalRequest(StringBuilder sb, string method, string canonicalUri, string canonicalQuery,
        IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        // Merge repeated names in input order (a stable join), then sort the distinct names.
        var merged = new List<KeyValuePair<string, string>>(8);
        foreach (KeyValuePair<string, string> header in headers)
        {
            string name = header.Key.Trim().ToLowerInvariant();
            string value = CanonicalHeaderValue(header.Value);
            int index = -1;
            for (int i = 0; i < merged.Count; i++)
            {
                if (string.Equals(merged[i].Key, name, StringComparison.Ordinal))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                merged.Add(new KeyValuePair<string, string>(name, value));
            }
            else
            {
                merged[index] = new KeyValuePair<string, string>(name, merged[index].Value + "," + value);
            }
        }

        merged.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        for (int i = 0; i < merged.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(';');
            }

            sb.Append(merged[i].Key);
        }

        signedHeaders = sb.ToString();
        sb.Clear();

        sb.Append(method).Append('\n')
          .Append(canonicalUri).Append('\n')
          .Append(canonicalQuery).Append('\n');
        foreach (KeyValuePair<string, string> header in merged)
        {
            sb.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }

        sb.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
    }

    /// <summary>
    /// The canonical URI of <paramref name="path"/>. With <paramref name="normalize"/>, empty and "." segments are removed
    /// and ".." segments resolved (RFC 3986 §5.2.4; a trailing slash is kept). With <paramref name="doubleEncode"/>
    /// (every service except S3) each segment is URI-encoded again: every byte except A–Z a–z 0–9 - . _ ~ becomes %XX, so
    /// an already-encoded "%3A" becomes "%253A". Without it (S3) existing %XX escapes are kept and only the remaining
    /// reserved or non-ASCII characters are encoded. An empty path is "/".
    /// </summary>
    public static string CanonicalUri(string path, bool doubleEncode, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "/";
        }

        if (normalize)
        {
            path = NormalizePath(path);
        }

        return UriEncode(path, encodeSlash: false, keepEscapes: !doubleEncode);
    }

    /// <summary>
    /// The canonical query string of a raw query (with or without the leading '?'): each parameter is percent-decoded and
    /// re-encoded with the SigV4 rules (only unreserved characters left as is; '+' is a literal plus), a missing '='
    /// gives an empty value, and parameters are sorted by encoded name then encoded value (ordinal).
    /// </summary>
    public static string CanonicalQuery(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        ReadOnlySpan<char> query = rawQuery.AsSpan();
        if (query.Length > 0 && query[0] == '?')
        {
            query = query.Slice(1);
        }

        if (query.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf('&');
            ReadOnlySpan<char> part = amp < 0 ? query : query.Slice(0, amp);
            query = amp < 0 ? ReadOnlySpan<char>.Empty : query.Slice(amp + 1);
            if (part.IsEmpty)
            {
                continue;
            }

            int eq = part.IndexOf('=');
            string name = eq < 0 ? part.ToString() : part.Slice(0, eq).ToString();
            string value = eq < 0 ? string.Empty : part.Slice(eq + 1).ToString();
            pairs.Add(new KeyValuePair<string, string>(
                UriEncode(Uri.UnescapeDataString(name), encodeSlash: true, keepEscapes: false),
                UriEncode(Uri.UnescapeDataString(value), encodeSlash: true, keepEscapes: false)));
        }

        pairs.Sort(static (a, b) =>
        {
            int byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });

        StringBuilder sb = RentBuilder();
        for (int i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append('&');
            }

            sb.Append(pairs[i].Key).Append('=').Append(pairs[i].Value);
        }

        string result = sb.ToString();
        ReturnBuilder(sb);
        return result;
    }

    /// <summary>"AWS4-HMAC-SHA256\n{yyyyMMddTHHmmssZ}\n{yyyyMMdd}/{region}/{service}/aws4_request\n{hex sha256(canonical request)}".</summary>
    public static string StringToSign(DateTimeOffset signingTime, string region, string service, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        string hash = Sha256Hex(canonicalRequest);
        return string.Concat(Algorithm + "\n", FormatAmzDate(signingTime), "\n", CredentialScope(signingTime, region, service), "\n" + hash);
    }

    /// <summary>Hex HMAC-SHA256 of the string to sign with the derived key kSigning (cached per secret, date, region, service).</summary>
    public static string Signature(string secretAccessKey, DateTimeOffset signingTime, string region, string service, string stringToSign)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(stringToSign);

        byte[] key = SigningKeyCache.Get(secretAccessKey, signingTime.UtcDateTime, region, service);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HmacUtf8(key, stringToSign, mac);
        return ToHexLower(mac);
    }

    /// <summary>"AWS4-HMAC-SHA256 Credential={akid}/{scope}, SignedHeaders={list}, Signature={hex}".</summary>
    public static string AuthorizationHeader(string accessKeyId, DateTimeOffset signingTime, string region, string service,
        string signedHeaders, string signature) =>
        string.Concat(Algorithm + " Credential=", accessKeyId, "/", CredentialScope(signingTime, region, service),
            ", SignedHeaders=" + signedHeaders, ", Signature=" + signature);

    /// <summary>"{yyyyMMdd}/{region}/{service}/aws4_request".</summary>
    public static string CredentialScope(DateTimeOffset signingTime, string region, string service)
    {
        DateTime utc = signingTime.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.Year:D4}{utc.Month:D2}{utc.Day:D2}/{region}/{service}/aws4_request");
    }

    /// <summary>The X-Amz-Date form of a time: yyyyMMddTHHmmssZ in UTC.</summary>
    public static string FormatAmzDate(DateTimeOffset signingTime)
    {
        DateTime utc = signingTime.UtcDateTime;
        return string.Create(16, utc, static (span, t) =>
        {
            Write(span, 0, t.Year, 4);
            Write(span, 4, t.Month, 2);
            Write(span, 6, t.Day, 2);
            span[8] = 'T';
            Write(span, 9, t.Hour, 2);
            Write(span, 11, t.Minute, 2);
            Write(span, 13, t.Second, 2);
            span[15] = 'Z';
        });

        static void Write(Span<char> span, int offset, int value, int digits)
        {
            for (int i = offset + digits - 1; i >= offset; i--)
            {
                span[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    /// <summary>Lower-case hex SHA-256 of bytes.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return ToHexLower(hash);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of a string.</summary>
    public static string Sha256Hex(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int count = Encoding.UTF8.GetBytes(text, buffer);
            return Sha256Hex(buffer.Slice(0, count));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    internal static string HostFromUri(Uri uri)
    {
        string host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost + "]" : uri.IdnHost;
        return uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    internal static string NormalizePath(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal) && path[0] == '/')
        {
            return path;
        }

        string[] segments = path.Split('/');
        var kept = new List<string>(segments.Length);
        foreach (string segment in segments)
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                continue;
            }

            kept.Add(segment);
        }

        if (kept.Count == 0)
        {
            return "/";
        }

        string last = segments[segments.Length - 1];
        bool trailingSlash = last.Length == 0 || last == "." || last == "..";
        return "/" + string.Join('/', kept) + (trailingSlash ? "/" : string.Empty);
    }

    private static bool IsUnreserved(char c) =>
        (uint)(c - 'A') <= 'Z' - 'A' || (uint)(c - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 ||
        c == '-' || c == '.' || c == '_' || c == '~';

    private static bool IsHex(char c) =>
        (uint)(c - '0') <= 9 || (uint)(c - 'A') <= 'F' - 'A' || (uint)(c - 'a') <= 'f' - 'a';

    /// <summary>SigV4 URI encoding: unreserved characters as is, '/' as is unless <paramref name="encodeSlash"/>, all else %XX of UTF-8.</summary>
    internal static string UriEncode(string value, bool encodeSlash, bool keepEscapes)
    {
        int i = 0;
        for (; i < value.Length; i++)
        {
            char c = value[i];
            if (!IsUnreserved(c) && (encodeSlash || c != '/'))
            {
                break;
            }
        }

        if (i == value.Length)
        {
            return value;
        }

        StringBuilder sb = RentBuilder();
        sb.Append(value, 0, i);
        Span<byte> utf8 = stackalloc byte[4];
        while (i < value.Length)
        {
            char c = value[i];
            if (IsUnreserved(c) || (!encodeSlash && c == '/'))
            {
                sb.Append(c);
                i++;
                continue;
            }

            if (keepEscapes && c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                sb.Append('%').Append(char.ToUpperInvariant(value[i + 1])).Append(char.ToUpperInvariant(value[i + 2]));
                i += 3;
                continue;
            }

            if (Rune.DecodeFromUtf16(value.AsSpan(i), out Rune rune, out int consumed) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar; // a lone surrogate: encode U+FFFD as HttpClient would send it
                consumed = 1;
            }

            int count = rune.EncodeToUtf8(utf8);
            for (int b = 0; b < count; b++)
            {
                sb.Append('%').Append(HexUpper[utf8[b] >> 4]).Append(HexUpper[utf8[b] & 0xF]);
            }

            i += consumed;
        }

        string result = sb.ToString();
        ReturnBuilder(sb);
        return result;
    }

    /// <summary>Trims and collapses every whitespace run (spaces, tabs, folded CR/LF) to one space.</summary>
    internal static string CanonicalHeaderValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        ReadOnlySpan<char> span = value.AsSpan().Trim();
        bool clean = true;
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c == '\t' || c == '\r' || c == '\n' || (c == ' ' && i + 1 < span.Length && IsWs(span[i + 1])))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return span.Length == value.Length ? value : span.ToString();
        }

        StringBuilder sb = RentBuilder();
        bool inWhitespace = false;
        foreach (char c in span)
        {
            if (IsWs(c))
            {
                if (!inWhitespace)
                {
                    sb.Append(' ');
                    inWhitespace = true;
                }
            }
            else
            {
                sb.Append(c);
                inWhitespace = false;
            }
        }

        string result = sb.ToString();
        ReturnBuilder(sb);
        return result;

        static bool IsWs(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static bool IsUnsigned(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("X-Amzn-Trace-Id", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Expect", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("TE", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Trailer", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase);

    private static string JoinValues(HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            foreach (string single in values)
            {
                return single;
            }
        }

        return string.Join(", ", values);
    }

    private static void HmacUtf8(ReadOnlySpan<byte> key, string data, Span<byte> destination)
    {
        int max = Encoding.UTF8.GetMaxByteCount(data.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int count = Encoding.UTF8.GetBytes(data, buffer);
            HMACSHA256.HashData(key, buffer.Slice(0, count), destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string ToHexLower(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = HexLower[bytes[i] >> 4];
            chars[(2 * i) + 1] = HexLower[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    private static StringBuilder RentBuilder()
    {
        StringBuilder? sb = t_builder;
        if (sb is null)
        {
            return new StringBuilder(512);
        }

        t_builder = null;
        return sb;
    }

    private static void ReturnBuilder(StringBuilder sb)
    {
        if (sb.Capacity <= 8192)
        {
            sb.Clear();
            t_builder = sb;
        }
    }

    /// <summary>A few recently derived signing keys; entries are immutable so readers need no lock.</summary>
    private static class SigningKeyCache
    {
        private const int Size = 4;
        private static readonly Entry?[] s_entries = new Entry?[Size];
        private static int s_next;

        public static byte[] Get(string secret, DateTime utc, string region, string service)
        {
            int date = (utc.Year * 10000) + (utc.Month * 100) + utc.Day;
            for (int i = 0; i < Size; i++)
            {
                Entry? entry = Volatile.Read(ref s_entries[i]);
                if (entry is not null && entry.Date == date &&
                    string.Equals(entry.Region, region, StringComparison.Ordinal) &&
                    string.Equals(entry.Service, service, StringComparison.Ordinal) &&
                    string.Equals(entry.Secret, secret, StringComparison.Ordinal))
                {
                    return entry.Key;
                }
            }

            byte[] key = Derive(secret, date, region, service);
            int slot = (int)((uint)Interlocked.Increment(ref s_next) % Size);
            Volatile.Write(ref s_entries[slot], new Entry(secret, date, region, service, key));
            return key;
        }

        /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
        internal static byte[] Derive(string secret, int date, string region, string service)
        {
            int max = Encoding.UTF8.GetMaxByteCount(secret.Length + 4);
            byte[]? rented = null;
            Span<byte> secretBytes = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
            Span<byte> k1 = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Span<byte> k2 = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Span<char> dateChars = stackalloc char[8];
            try
            {
                "AWS4"u8.CopyTo(secretBytes);
                int secretLength = 4 + Encoding.UTF8.GetBytes(secret, secretBytes.Slice(4));
                date.TryFormat(dateChars, out _, "D8", CultureInfo.InvariantCulture);
                Span<byte> dateBytes = stackalloc byte[8];
                Encoding.ASCII.GetBytes(dateChars, dateBytes);

                HMACSHA256.HashData(secretBytes.Slice(0, secretLength), dateBytes, k1);
                HmacUtf8(k1, region, k2);
                HmacUtf8(k2, service, k1);
                byte[] signingKey = new byte[HMACSHA256.HashSizeInBytes];
                HMACSHA256.HashData(k1, "aws4_request"u8, signingKey);
                return signingKey;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secretBytes);
                CryptographicOperations.ZeroMemory(k1);
                CryptographicOperations.ZeroMemory(k2);
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        private sealed class Entry(string secret, int date, string region, string service, byte[] key)
        {
            public string Secret { get; } = secret;
            public int Date { get; } = date;
            public string Region { get; } = region;
            public string Service { get; } = service;
            public byte[] Key { get; } = key;
        }
    }
}
