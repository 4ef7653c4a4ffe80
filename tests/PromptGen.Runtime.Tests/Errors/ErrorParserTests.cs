using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PromptGen.Runtime.Tests.Model;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.Errors;

public class ErrorParserTests
{
    private static byte[] Utf8(string? s) => s is null ? [] : Encoding.UTF8.GetBytes(s);

    // ---- botocore's rendering of the restJson1 protocol tests -------------------------------------------------

    public static TheoryData<string> BotocoreErrorCases()
    {
        var data = new TheoryData<string>();
        foreach (JsonNode? suite in JsonNode.Parse(File.ReadAllText(TestPaths.Vector("protocol-tests", "botocore", "output-rest-json.json")))!.AsArray())
        {
            foreach (JsonNode? c in suite!["cases"]!.AsArray())
            {
                if (c!["errorCode"] is not null)
                {
                    data.Add(c.ToJsonString());
                }
            }
        }

        return data;
    }

    [Fact]
    public void BotocoreHasTwelveErrorCases() => Assert.Equal(12, ((IEnumerable<object[]>)BotocoreErrorCases()).Count());

    [Theory]
    [MemberData(nameof(BotocoreErrorCases))]
    public void Botocore_RestJsonErrorCode(string caseJson)
    {
        JsonNode c = JsonNode.Parse(caseJson)!;
        string expected = c["errorCode"]!.GetValue<string>();
        JsonNode response = c["response"]!;
        int status = response["status_code"]!.GetValue<int>();
        string? header = response["headers"]?["X-Amzn-Errortype"]?.GetValue<string>();
        byte[] body = Utf8(response["body"]?.GetValue<string>());

        Assert.Equal(expected, BedrockErrorParser.ParseErrorType(header, body));
        BedrockException ex = BedrockErrorParser.FromResponse(status, header, "req-1", body);
        Assert.Equal(expected, ex.ErrorType);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("req-1", ex.RequestId);
        Assert.Equal(typeof(BedrockException), ex.GetType());
        Assert.Equal(status >= 500, ex.IsRetryable);
        if (c["error"]?["Message"] is JsonNode message)
        {
            Assert.Equal(message.GetValue<string>(), ex.Message);
        }
        else
        {
            Assert.Equal($"{expected} (HTTP {status})", ex.Message);
        }
    }

    // ---- the Smithy protocol tests themselves (restJson1 + the awsJson variants of the same rule) -------------

    public static TheoryData<string, string, string, int, string?, string?> SmithyErrorCases()
    {
        var data = new TheoryData<string, string, string, int, string?, string?>();
        foreach (string file in new[] { "restJson1/errors.smithy", "awsJson1_0/errors.smithy", "awsJson1_1/errors.smithy" })
        {
            string text = File.ReadAllText(TestPaths.Vector("protocol-tests", "smithy-aws-protocol-tests", file));
            foreach (Match block in Regex.Matches(text, @"apply (\w+) @httpResponseTests\(\[(.*?)\n\]\)", RegexOptions.Singleline))
            {
                string shape = block.Groups[1].Value;
                string[] cases = Regex.Split(block.Groups[2].Value, @"(?=\bid: "")").Where(s => s.StartsWith("id:", StringComparison.Ordinal)).ToArray();
                foreach (string c in cases)
                {
                    string id = Regex.Match(c, @"id: ""([^""]+)""").Groups[1].Value;
                    int code = int.Parse(Regex.Match(c, @"\bcode: (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    Match h = Regex.Match(c, @"""X-Amzn-Errortype"": ""([^""]+)""");
                    Match tripleBody = Regex.Match(c, "body: \"\"\"(.*?)\"\"\"", RegexOptions.Singleline);
                    Match simpleBody = Regex.Match(c, @"body: ""((?:[^""\\]|\\.)*)""");
                    string? body = tripleBody.Success ? tripleBody.Groups[1].Value
                        : simpleBody.Success ? Regex.Unescape(simpleBody.Groups[1].Value) : null;
                    data.Add(file, id, shape, code, h.Success ? h.Groups[1].Value : null, body);
                }
            }
        }

        return data;
    }

    [Fact]
    public void SmithyErrorCaseCounts()
    {
        var all = SmithyErrorCases().Select(r => (string)r[0]).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, all["restJson1/errors.smithy"]); // 14 error cases + 2 GreetingWithErrors success cases
        Assert.True(all["awsJson1_0/errors.smithy"] >= 10);
        Assert.True(all["awsJson1_1/errors.smithy"] >= 10);
    }

    [Theory]
    [MemberData(nameof(SmithyErrorCases))]
    public void Smithy_ErrorTypeFromHeaderCodeOrDunderType(string file, string id, string shape, int code, string? header, string? body)
    {
        _ = file;
        _ = id;
        byte[] bytes = Utf8(body);
        if (code < 300)
        {
            // The operation's own success cases: nothing in them may look like an error.
            Assert.Null(BedrockErrorParser.ParseErrorType(header, bytes));
            Assert.Null(BedrockErrorParser.FromSuccessBody(bytes, null));
            return;
        }

        Assert.Equal(shape, BedrockErrorParser.ParseErrorType(header, bytes));
        BedrockException ex = BedrockErrorParser.FromResponse(code, header, null, bytes);
        Assert.Equal(shape, ex.ErrorType);
        Assert.Equal(code, ex.StatusCode);
        if (shape == "InvalidGreeting")
        {
            Assert.Equal("Hi", ex.Message);
        }
    }

    [Fact]
    public void HeaderWinsOverBody_AndNestedDunderTypeIsIgnored()
    {
        Assert.Equal("FromHeader", BedrockErrorParser.ParseErrorType("FromHeader", Utf8("""{"__type":"FromBody","code":"FromCode"}""")));
        Assert.Equal("FromCode", BedrockErrorParser.ParseErrorType(null, Utf8("""{"__type":"FromBody","code":"FromCode"}""")));
        Assert.Equal("FromCode", BedrockErrorParser.ParseErrorType("", Utf8("""{"Code":"ns#FromCode:http://x"}""")));
        Assert.Null(BedrockErrorParser.ParseErrorType(null, Utf8("""{"ErrorDetails":[{"__type":"com.amazon.internal#ErrorDetails"}],"message":"m"}""")));
        Assert.Null(BedrockErrorParser.ParseErrorType(null, Utf8("<html>not json</html>")));
        Assert.Null(BedrockErrorParser.ParseErrorType(null, default));
    }

    // ---- Bedrock-specific snapshots and recordings --------------------------------------------------------------

    private static (int Status, Dictionary<string, string> Headers, byte[] Body) ReadGoSnapshot(string name)
    {
        string text = File.ReadAllText(TestPaths.Vector("bedrock-runtime", "aws-sdk-go-v2-response-snapshots", name));
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        string[] head = text[..blank].Split('\n');
        var headers = head.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (int.Parse(head[0].Trim(), System.Globalization.CultureInfo.InvariantCulture), headers, Utf8(text[(blank + 2)..]));
    }

    [Fact]
    public void GoSnapshot_ModelErrorException()
    {
        var (status, headers, body) = ReadGoSnapshot("ModelErrorException.error.snap");
        Assert.Equal("application/json", headers["Content-Type"]);
        var ex = Assert.IsType<BedrockModelErrorException>(BedrockErrorParser.FromResponse(status, null, "r", body));
        Assert.Equal(424, ex.StatusCode);
        Assert.Equal("ModelErrorException", ex.ErrorType);
        Assert.Equal("__Message__", ex.Message);
        Assert.Equal(1, ex.OriginalStatusCode);
        Assert.Equal("__ResourceName__", ex.ResourceName);
        Assert.False(ex.IsRetryable);
    }

    [Fact]
    public void GoSnapshot_ModelNotReadyException()
    {
        var (status, _, body) = ReadGoSnapshot("ModelNotReadyException.error.snap");
        var ex = Assert.IsType<BedrockModelNotReadyException>(BedrockErrorParser.FromResponse(status, null, null, body));
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal("__Message__", ex.Message);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public void GoSnapshot_ModelTimeoutException()
    {
        var (status, _, body) = ReadGoSnapshot("ModelTimeoutException.error.snap");
        var ex = Assert.IsType<BedrockModelTimeoutException>(BedrockErrorParser.FromResponse(status, null, null, body));
        Assert.Equal(408, ex.StatusCode);
        Assert.Equal("ModelTimeoutException", ex.ErrorType);
        Assert.Equal("__Message__", ex.Message);
        Assert.False(ex.IsRetryable);
    }

    [Fact]
    public void JsSnapshot_UnmodeledErrors()
    {
        string text = File.ReadAllText(TestPaths.Vector("bedrock-runtime", "aws-sdk-js-v3-snapshots", "res-err", "ValidationException.txt"));
        var sections = Regex.Matches(text, @"\[status\] (\d+).*?content-type: (\S+)\s*\n\s*\[Uint8Array \((\w+)\)\]\n(.*?)\n\n\n--- \[error name", RegexOptions.Singleline)
            .Select(m => (Status: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), ContentType: m.Groups[2].Value, Body: m.Groups[4].Value))
            .ToList();
        Assert.Equal(3, sections.Count);

        // 1. A 400 whose body names its type only in a non-standard "XAmznErrorType" member: no recognised type,
        //    so the status code decides (400 -> ValidationException) and the message is synthesised.
        Assert.Null(BedrockErrorParser.ParseErrorType(null, Utf8(sections[0].Body)));
        var first = Assert.IsType<BedrockValidationException>(BedrockErrorParser.FromResponse(sections[0].Status, null, null, Utf8(sections[0].Body)));
        Assert.Equal("ValidationException (HTTP 400)", first.Message);

        // 2. Same with a message member.
        var second = Assert.IsType<BedrockValidationException>(BedrockErrorParser.FromResponse(sections[1].Status, null, null, Utf8(sections[1].Body)));
        Assert.Equal("__message__", second.Message);
        Assert.Equal(400, second.StatusCode);

        // 3. A 500 text/html front-end error: not JSON; the body text becomes the message; retryable.
        Assert.Equal("text/html", sections[2].ContentType);
        var third = Assert.IsType<BedrockInternalServerException>(BedrockErrorParser.FromResponse(sections[2].Status, null, null, Utf8(sections[2].Body)));
        Assert.Equal("An unmodeled error occurred in a front end layer.", third.Message);
        Assert.True(third.IsRetryable);
    }

    public static TheoryData<string, int> RecordedErrors()
    {
        var data = new TheoryData<string, int>();
        foreach (RecordedExchange e in RecordedTraffic.All.Where(e => e.Status >= 400))
        {
            data.Add(e.Source, e.Index);
        }

        return data;
    }

    [Fact]
    public void RecordedErrorCount() => Assert.Equal(8, ((IEnumerable<object[]>)RecordedErrors()).Count()); // 5 openinference + 3 pydantic-ai

    [Theory]
    [MemberData(nameof(RecordedErrors))]
    public void RecordedBedrockErrors(string source, int index)
    {
        RecordedExchange e = RecordedTraffic.Get(source, index);
        string? header = e.Header("x-amzn-ErrorType");
        string? requestId = e.Header("x-amzn-RequestId");
        BedrockException ex = BedrockErrorParser.FromResponse(e.Status, header, requestId, e.ResponseBody!);
        Assert.Equal(requestId, ex.RequestId);
        Assert.Equal(e.Status, ex.StatusCode);
        if (e.Status == 403)
        {
            Assert.Equal("AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/", header);
            Assert.IsType<BedrockAccessDeniedException>(ex);
            Assert.Equal("You don't have access to the model with the specified model ID.", ex.Message);
        }
        else
        {
            Assert.Equal(400, e.Status);
            if (source.EndsWith(".json", StringComparison.Ordinal))
            {
                // The openinference recordings keep the real header; the pydantic-ai cassettes stripped x- headers.
                Assert.Equal("ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", header);
                Assert.False(string.IsNullOrEmpty(requestId));
            }
            else
            {
                Assert.Null(header);
            }

            Assert.IsType<BedrockValidationException>(ex);
            Assert.Equal("ValidationException", ex.ErrorType);
            Assert.Equal("The provided model identifier is invalid.", ex.Message);
            Assert.False(ex.IsRetryable);
        }
    }

    [Fact]
    public void RecordedRequestIdIsCarried()
    {
        RecordedExchange e = RecordedTraffic.Get("should-handle-api-error-scenarios.json", 0);
        BedrockException ex = BedrockErrorParser.FromResponse(e.Status, e.Header("x-amzn-ErrorType"), e.Header("x-amzn-RequestId"), e.ResponseBody!);
        Assert.Equal("fe4e3f9c-abb5-4a80-996c-1bd403ee3d99", ex.RequestId);
    }

    // ---- status mapping, success-body detection, stream errors --------------------------------------------------

    [Theory]
    [InlineData(400, typeof(BedrockValidationException), "ValidationException", false)]
    [InlineData(403, typeof(BedrockAccessDeniedException), "AccessDeniedException", false)]
    [InlineData(404, typeof(BedrockResourceNotFoundException), "ResourceNotFoundException", false)]
    [InlineData(408, typeof(BedrockModelTimeoutException), "ModelTimeoutException", false)]
    [InlineData(424, typeof(BedrockModelErrorException), "ModelErrorException", false)]
    [InlineData(429, typeof(BedrockThrottlingException), "ThrottlingException", true)]
    [InlineData(500, typeof(BedrockInternalServerException), "InternalServerException", true)]
    [InlineData(503, typeof(BedrockServiceUnavailableException), "ServiceUnavailableException", true)]
    [InlineData(502, typeof(BedrockException), "502", true)]
    [InlineData(504, typeof(BedrockException), "504", true)]
    [InlineData(409, typeof(BedrockException), "409", false)]
    public void StatusCodeFallbackWithoutType(int status, Type type, string errorType, bool retryable)
    {
        BedrockException ex = BedrockErrorParser.FromResponse(status, null, null, Utf8("""{"message":"m"}"""));
        Assert.Equal(type, ex.GetType());
        Assert.Equal(errorType, ex.ErrorType);
        Assert.Equal(retryable, ex.IsRetryable);
        Assert.Equal("m", ex.Message);
    }

    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", 429, typeof(BedrockThrottlingException), true)]
    [InlineData("ModelNotReadyException", 429, typeof(BedrockModelNotReadyException), true)]
    [InlineData("ServiceQuotaExceededException", 400, typeof(BedrockServiceQuotaExceededException), false)]
    [InlineData("ModelStreamErrorException", 424, typeof(BedrockModelStreamErrorException), true)]
    [InlineData("ResourceNotFoundException", 404, typeof(BedrockResourceNotFoundException), false)]
    [InlineData("UnrecognizedClientException", 403, typeof(BedrockException), false)]
    [InlineData("InvalidSignatureException", 403, typeof(BedrockException), false)]
    [InlineData("SomethingNew", 500, typeof(BedrockException), true)]
    public void HeaderTypeMapsToClass(string header, int status, Type type, bool retryable)
    {
        BedrockException ex = BedrockErrorParser.FromResponse(status, header, "rid", Utf8("""{"Message":"Too many requests, please wait before trying again."}"""));
        Assert.Equal(type, ex.GetType());
        Assert.Equal(retryable, ex.IsRetryable);
        Assert.Equal(BedrockErrorParser.Sanitize(header), ex.ErrorType);
        Assert.Equal("Too many requests, please wait before trying again.", ex.Message);
        Assert.Equal("rid", ex.RequestId);
    }

    [Fact]
    public void UnknownOperationOnHttp200IsDetected()
    {
        byte[] body = Utf8("""{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}""");
        BedrockException ex = BedrockErrorParser.FromSuccessBody(body, "rid")!;
        Assert.Equal("UnknownOperationException", ex.ErrorType);
        Assert.Equal(200, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Contains("%2F", ex.Message, StringComparison.Ordinal);

        Assert.Null(BedrockErrorParser.FromSuccessBody(RecordedTraffic.Get("test_bedrock_model.yaml", 0).ResponseBody!, null));
        Assert.Null(BedrockErrorParser.FromSuccessBody(Utf8("""{"inputTokens":12}"""), null));
        Assert.Null(BedrockErrorParser.FromSuccessBody(Utf8("""{"output":{"message":{"role":"assistant","content":[{"text":"\"Output\""}]}}}"""), null));
        Assert.Null(BedrockErrorParser.FromSuccessBody(default, null));
    }

    [Fact]
    public void StreamException_ModelStreamError_FromRecordedFrame()
    {
        // Payload of the captured frame quoted in WIRE.md section 4.4 (:exception-type=modelStreamErrorException).
        byte[] payload = Utf8("""{"message":"Model Stream Error","originalStatusCode":500,"originalMessage":"The model stream failed."}""");
        var ex = Assert.IsType<BedrockModelStreamErrorException>(BedrockErrorParser.FromStreamException("modelStreamErrorException", payload, "rid"));
        Assert.Equal("ModelStreamErrorException", ex.ErrorType);
        Assert.Equal("Model Stream Error", ex.Message);
        Assert.Equal(500, ex.OriginalStatusCode);
        Assert.Equal("The model stream failed.", ex.OriginalMessage);
        Assert.Null(ex.StatusCode);
        Assert.Equal("rid", ex.RequestId);
        Assert.True(ex.IsRetryable);
    }

    [Theory]
    [InlineData("throttlingException", typeof(BedrockThrottlingException), true)]
    [InlineData("serviceUnavailableException", typeof(BedrockServiceUnavailableException), true)]
    [InlineData("internalServerException", typeof(BedrockInternalServerException), true)]
    [InlineData("validationException", typeof(BedrockValidationException), false)]
    [InlineData("modelTimeoutException", typeof(BedrockModelTimeoutException), false)]
    [InlineData("someNewException", typeof(BedrockException), false)]
    public void StreamExceptionTypes(string exceptionType, Type type, bool retryable)
    {
        BedrockException ex = BedrockErrorParser.FromStreamException(exceptionType, Utf8("""{"message":"boom"}"""), null);
        Assert.Equal(type, ex.GetType());
        Assert.Equal(char.ToUpperInvariant(exceptionType[0]) + exceptionType[1..], ex.ErrorType);
        Assert.Equal("boom", ex.Message);
        Assert.Equal(retryable, ex.IsRetryable);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public void StreamError_UnmodeledMessageType()
    {
        BedrockException ex = BedrockErrorParser.FromStreamError("InternalError", "An internal error occurred.", "rid");
        Assert.Equal(typeof(BedrockException), ex.GetType());
        Assert.Equal("InternalError", ex.ErrorType);
        Assert.Equal("An internal error occurred.", ex.Message);
        Assert.True(ex.IsRetryable);

        BedrockException noMessage = BedrockErrorParser.FromStreamError("BadRequestException", null, null);
        Assert.Equal("BadRequestException", noMessage.Message);
        Assert.False(noMessage.IsRetryable);

        Assert.IsType<BedrockThrottlingException>(BedrockErrorParser.FromStreamError("ThrottlingException", "slow down", null));
    }

    [Fact]
    public void ClientSideExceptions()
    {
        var timeout = new BedrockTimeoutException(BedrockTimeoutKind.BetweenEvents, TimeSpan.FromSeconds(30));
        Assert.Equal(BedrockTimeoutKind.BetweenEvents, timeout.Kind);
        Assert.Equal("Waiting for the next event of the Bedrock stream took longer than 30 s.", timeout.Message);
        Assert.True(timeout.IsRetryable);
        Assert.Null(timeout.StatusCode);

        var broken = new BedrockStreamException(BedrockStreamFailure.Truncated, "The stream ended inside a message.") { PartialText = "Hel" };
        Assert.Equal("StreamError", broken.ErrorType);
        Assert.Equal(BedrockStreamFailure.Truncated, broken.Failure);
        Assert.Equal("Hel", broken.PartialText);

        var streamError = BedrockErrorParser.FromStreamException("modelStreamErrorException", Utf8("{}"), null);
        streamError.IsRetryable = false; // the client clears this once text has reached the caller
        Assert.False(streamError.IsRetryable);
        Assert.Equal("ModelStreamErrorException", streamError.Message);
        Assert.Contains("ModelStreamErrorException", streamError.ToString(), StringComparison.Ordinal);
    }
}
