using System.Text;
using System.Text.RegularExpressions;
using PromptGen.EventStreams;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.EventStreams;

/// <summary>
/// The base64 <c>bytes</c> frames of the restJson1 <c>@eventStreamTests</c> (protocol-tests/smithy-aws-protocol-tests/
/// restJson1/event-stream.smithy), at framing level: each frame decodes, with exactly the listed headers (types and
/// values, in order) and the listed body. The cases whose expectation is a failure (missing or malformed
/// :message-type / :event-type, modeled and unmodeled error events) are all well-formed frames whose fault is at the
/// protocol layer above framing, so they too must decode here; the test asserts the faulty header as decoded.
/// </summary>
public partial class SmithyProtocolTestFrameTests
{
    private sealed record ProtocolFrame(string Id, int Index, string Base64, List<(string Name, string Type, string Value)> Headers, string? Body, bool ExpectsFailure);

    private static readonly Lazy<List<ProtocolFrame>> s_frames = new(ParseFrames);

    public static TheoryData<string, int> Frames()
    {
        var data = new TheoryData<string, int>();
        foreach (ProtocolFrame f in s_frames.Value)
        {
            data.Add(f.Id, f.Index);
        }

        return data;
    }

    [Fact]
    public void All_92_frames_are_found()
    {
        Assert.Equal(92, s_frames.Value.Count);
        Assert.Equal(100, File.ReadAllLines(Path()).Count(l => IdLine().IsMatch(l)));
        Assert.All(s_frames.Value, f => Assert.NotEmpty(f.Headers));
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Frame_decodes_to_the_listed_headers_and_body(string id, int index)
    {
        ProtocolFrame frame = s_frames.Value.Single(f => f.Id == id && f.Index == index);
        EventStreamMessage m = EventStreamMessage.Decode(Convert.FromBase64String(frame.Base64));

        Assert.Equal(frame.Headers.Count, m.Headers.Count);
        for (int i = 0; i < frame.Headers.Count; i++)
        {
            (string name, string type, string literal) = frame.Headers[i];
            (string actualName, EventStreamHeaderValue v) = m.Headers[i];
            Assert.Equal(name, actualName);
            switch (type)
            {
                case "string":
                    Assert.Equal(EventStreamHeaderType.String, v.Type);
                    Assert.Equal(Unquote(literal), v.AsString());
                    break;
                case "boolean":
                    Assert.Equal(bool.Parse(literal), v.AsBool());
                    break;
                case "byte":
                    Assert.Equal(sbyte.Parse(literal), v.AsByte());
                    break;
                case "short":
                    Assert.Equal(short.Parse(literal), v.AsInt16());
                    break;
                case "integer":
                    Assert.Equal(int.Parse(literal), v.AsInt32());
                    break;
                case "long":
                    Assert.Equal(long.Parse(literal), v.AsInt64());
                    break;
                case "blob":
                    Assert.Equal(Convert.FromBase64String(Unquote(literal)), v.AsBytes());
                    break;
                case "timestamp":
                    Assert.Equal(DateTimeOffset.Parse(Unquote(literal), System.Globalization.CultureInfo.InvariantCulture), v.AsTimestamp());
                    break;
                default:
                    Assert.Fail($"{id}: unexpected header type {type}");
                    break;
            }
        }

        if (frame.Body is not null)
        {
            Assert.Equal(frame.Body, Encoding.UTF8.GetString(m.Payload.Span));
        }
        else
        {
            Assert.True(m.Payload.IsEmpty, $"{id}: no body listed but payload is {m.Payload.Length} bytes");
        }

        if (frame.ExpectsFailure && id.Contains("Malformed", StringComparison.Ordinal))
        {
            // The protocol fault: the header is a byte array where a string is required.
            string header = id.Contains("MessageType", StringComparison.Ordinal) ? ":message-type" : ":event-type";
            Assert.True(m.TryGetHeader(header, out EventStreamHeaderValue bad));
            Assert.Equal(EventStreamHeaderType.ByteArray, bad.Type);
            Assert.Null(m.GetString(header));
        }
        else if (frame.ExpectsFailure && (id.Contains("MissingMessageType", StringComparison.Ordinal) || id.Contains("MissingEventType", StringComparison.Ordinal)))
        {
            Assert.Null(m.GetString(id.Contains("MessageType", StringComparison.Ordinal) ? ":message-type" : ":event-type"));
        }
    }

    private static string Path() => TestPaths.Vector("protocol-tests", "smithy-aws-protocol-tests", "restJson1", "event-stream.smithy");

    private static string Unquote(string literal) =>
        literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"' ? literal[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : literal;

    /// <summary>A line-based reader for the regular shape of these test cases (not a general Smithy IDL parser).</summary>
    private static List<ProtocolFrame> ParseFrames()
    {
        string[] lines = File.ReadAllLines(Path());
        var frames = new List<ProtocolFrame>();
        string? id = null;
        int index = 0;
        List<(string, string, string)>? headers = null;
        string? body = null;
        var pending = new List<(int Line, ProtocolFrame Frame)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            Match m;
            if ((m = IdLine().Match(lines[i])).Success)
            {
                id = m.Groups[1].Value;
                index = 0;
            }
            else if (line.StartsWith("type: \"", StringComparison.Ordinal))
            {
                headers = [];
                body = null;
            }
            else if (line == "headers: {" && headers is not null)
            {
                for (i++; lines[i].Trim() != "}"; i++)
                {
                    Match h = HeaderLine().Match(lines[i]);
                    Assert.True(h.Success, "unparsed header line: " + lines[i]);
                    headers.Add((h.Groups[1].Value.Trim('"'), h.Groups[2].Value, h.Groups[3].Value));
                }
            }
            else if (line.StartsWith("body: ", StringComparison.Ordinal))
            {
                string rest = line["body: ".Length..];
                if (rest == "\"\"\"")
                {
                    string next = lines[++i].Trim();
                    Assert.EndsWith("\"\"\"", next);
                    body = next[..^3];
                }
                else
                {
                    body = Unquote(rest);
                }
            }
            else if ((m = BytesLine().Match(line)).Success && headers is not null)
            {
                frames.Add(new ProtocolFrame(id!, index++, m.Groups[1].Value, headers, body, false));
                headers = null;
            }
            else if (line.StartsWith("failure:", StringComparison.Ordinal))
            {
                for (int f = 0; f < frames.Count; f++)
                {
                    if (frames[f].Id == id)
                    {
                        frames[f] = frames[f] with { ExpectsFailure = true };
                    }
                }
            }
        }

        return frames;
    }

    [GeneratedRegex("^\\s*id: \"([^\"]+)\"")]
    private static partial Regex IdLine();

    [GeneratedRegex("^\\s*(\"[^\"]+\"|[A-Za-z0-9_:-]+): \\{ (\\w+): (.+) \\}\\s*$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex("^bytes: \"([A-Za-z0-9+/=]+)\"$")]
    private static partial Regex BytesLine();
}
