namespace PromptGen.Signing;

/// <summary>
/// Reads the standard AWS settings PromptGen honours, from an injectable environment lookup so tests need not touch
/// the process environment. Empty or whitespace values count as unset.
/// </summary>
internal static class AwsEnvironment
{
    /// <summary>The process environment.</summary>
    public static readonly Func<string, string?> Process = Environment.GetEnvironmentVariable;

    /// <summary>
    /// AWS_REGION, then AWS_DEFAULT_REGION, then the <c>region</c> of the active profile (AWS_PROFILE, else
    /// AWS_DEFAULT_PROFILE, else <c>default</c>) in the shared config file (AWS_CONFIG_FILE, else ~/.aws/config:
    /// section <c>[profile NAME]</c>, or <c>[default]</c>) and then the shared credentials file
    /// (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials: section <c>[NAME]</c>). Null when none is set.
    /// </summary>
    public static string? ResolveRegion(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        string? region = Get(env, "AWS_REGION") ?? Get(env, "AWS_DEFAULT_REGION");
        if (region is not null)
        {
            return region;
        }

        string profile = ProfileName(env);
        string? home = Get(env, "HOME") ?? Get(env, "USERPROFILE");

        string? configFile = Get(env, "AWS_CONFIG_FILE") ?? (home is null ? null : Path.Combine(home, ".aws", "config"));
        if (configFile is not null)
        {
            string section = profile == "default" ? "default" : "profile " + profile;
            region = ReadIniValue(ExpandHome(configFile, home), section, "region");
            if (region is null && profile == "default")
            {
                region = ReadIniValue(ExpandHome(configFile, home), "profile default", "region");
            }
        }

        if (region is null)
        {
            string? credentialsFile = Get(env, "AWS_SHARED_CREDENTIALS_FILE") ??
                                      (home is null ? null : Path.Combine(home, ".aws", "credentials"));
            if (credentialsFile is not null)
            {
                region = ReadIniValue(ExpandHome(credentialsFile, home), profile, "region");
            }
        }

        return region;
    }

    /// <summary>ResolveRegion over the process environment.</summary>
    public static string? ResolveRegion() => ResolveRegion(Process);

    /// <summary>The profile name in effect: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".</summary>
    public static string ProfileName(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Get(env, "AWS_PROFILE") ?? Get(env, "AWS_DEFAULT_PROFILE") ?? "default";
    }

    /// <summary>The Bedrock API key from AWS_BEARER_TOKEN_BEDROCK (trimmed), or null.</summary>
    public static string? BearerToken(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return Get(env, "AWS_BEARER_TOKEN_BEDROCK");
    }

    /// <summary>BearerToken over the process environment.</summary>
    public static string? BearerToken() => BearerToken(Process);

    /// <summary>
    /// The endpoint override: AWS_ENDPOINT_URL_BEDROCK_RUNTIME (service-specific), then AWS_ENDPOINT_URL (global);
    /// null when neither is set or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is "true".
    /// </summary>
    /// <exception cref="InvalidOperationException">The value set is not an absolute http(s) URL (the message names the variable).</exception>
    public static Uri? EndpointOverride(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (string.Equals(Get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        const string serviceVariable = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
        const string globalVariable = "AWS_ENDPOINT_URL";
        string? value = Get(env, serviceVariable);
        string variable = serviceVariable;
        if (value is null)
        {
            value = Get(env, globalVariable);
            variable = globalVariable;
        }

        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException(variable + " is not an absolute http(s) URL: '" + value + "'.");
        }

        return uri;
    }

    /// <summary>EndpointOverride over the process environment.</summary>
    public static Uri? EndpointOverride() => EndpointOverride(Process);

    private static string? Get(Func<string, string?> env, string name)
    {
        string? value = env(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Trim();
    }

    private static string ExpandHome(string path, string? home)
    {
        if (home is not null && path.Length >= 2 && path[0] == '~' && (path[1] == '/' || path[1] == '\\'))
        {
            return Path.Combine(home, path.Substring(2));
        }

        return path;
    }

    /// <summary>
    /// Reads <paramref name="key"/> from <c>[section]</c> of an AWS-style INI file. Missing or unreadable files give null.
    /// Names are compared case-sensitively for sections (as the AWS CLI does) and case-insensitively for keys;
    /// '#' and ';' start comment lines; indented lines (sub-properties such as <c>s3 =</c> blocks) are skipped.
    /// </summary>
    internal static string? ReadIniValue(string path, string section, string key)
    {
        string[] lines;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        bool inSection = false;
        foreach (string rawLine in lines)
        {
            if (rawLine.Length == 0 || char.IsWhiteSpace(rawLine[0]))
            {
                continue; // blank or a nested sub-property line
            }

            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                int close = line.IndexOf(']');
                string name = close > 0 ? line.Substring(1, close - 1).Trim() : line.Substring(1).Trim();
                inSection = string.Equals(NormalizeSpaces(name), section, StringComparison.Ordinal);
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            if (string.Equals(line.AsSpan(0, eq).Trim().ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                string value = line.Substring(eq + 1).Trim();
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    private static string NormalizeSpaces(string sectionName)
    {
        // "[profile   dev]" is the same section as "[profile dev]".
        int space = sectionName.IndexOf(' ');
        if (space < 0)
        {
            return sectionName;
        }

        return string.Concat(sectionName.AsSpan(0, space), " ", sectionName.AsSpan(space).Trim());
    }
}
