using System.Text;
using System.Text.Json.Nodes;

namespace PromptGen;

/// <summary>
/// One block of message content. A union: exactly one property is set. Members this library does not know
/// (Bedrock adds new ones) are ignored when reading, leaving every property null.
/// </summary>
public sealed class ContentBlock
{
    /// <summary>Plain text.</summary>
    public string? Text { get; set; }

    /// <summary>An image.</summary>
    public ImageBlock? Image { get; set; }

    /// <summary>A document (pdf, csv, doc, docx, xls, xlsx, html, txt, md).</summary>
    public DocumentBlock? Document { get; set; }

    /// <summary>A video.</summary>
    public VideoBlock? Video { get; set; }

    /// <summary>An audio clip.</summary>
    public AudioBlock? Audio { get; set; }

    /// <summary>A tool call requested by the model.</summary>
    public ToolUseBlock? ToolUse { get; set; }

    /// <summary>The result of a tool call, sent back by the caller.</summary>
    public ToolResultBlock? ToolResult { get; set; }

    /// <summary>Content for a guardrail to evaluate.</summary>
    public GuardrailConverseContentBlock? GuardContent { get; set; }

    /// <summary>A prompt-cache checkpoint.</summary>
    public CachePointBlock? CachePoint { get; set; }

    /// <summary>Model reasoning ("thinking"); pass it back unmodified in later turns.</summary>
    public ReasoningContentBlock? ReasoningContent { get; set; }

    /// <summary>Generated text with citations.</summary>
    public CitationsContentBlock? CitationsContent { get; set; }

    /// <summary>A search result supplied as grounding content.</summary>
    public SearchResultBlock? SearchResult { get; set; }

    /// <summary>Adds a tool mid-conversation (inside a <c>system</c>-role message).</summary>
    public ToolChangeBlock? ToolAddition { get; set; }

    /// <summary>Removes a tool mid-conversation (inside a <c>system</c>-role message).</summary>
    public ToolChangeBlock? ToolRemoval { get; set; }

    /// <summary>A text block.</summary>
    /// <param name="text">The text.</param>
    public static ContentBlock FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ContentBlock { Text = text };
    }

    /// <summary>An inline image block.</summary>
    /// <param name="format">png, jpeg, gif or webp (see <see cref="ImageFormat"/>).</param>
    /// <param name="bytes">The raw image bytes (sent base64-encoded).</param>
    public static ContentBlock FromImage(string format, byte[] bytes) =>
        new() { Image = new ImageBlock { Format = format, Source = new ImageSource { Bytes = bytes } } };

    /// <summary>An inline document block.</summary>
    /// <param name="format">The document format (see <see cref="DocumentFormat"/>).</param>
    /// <param name="name">A neutral name for the document (letters, digits, single spaces, hyphens, parentheses, brackets).</param>
    /// <param name="bytes">The raw document bytes (sent base64-encoded).</param>
    public static ContentBlock FromDocument(string format, string name, byte[] bytes) =>
        new() { Document = new DocumentBlock { Format = format, Name = name, Source = new DocumentSource { Bytes = bytes } } };

    /// <summary>A tool-use block (for replaying an assistant turn).</summary>
    /// <param name="toolUseId">The tool-use ID.</param>
    /// <param name="name">The tool name.</param>
    /// <param name="input">The tool input (a JSON object); null sends <c>{}</c>.</param>
    public static ContentBlock FromToolUse(string toolUseId, string name, JsonNode? input) =>
        new() { ToolUse = new ToolUseBlock { ToolUseId = toolUseId, Name = name, Input = input ?? new JsonObject() } };

    /// <summary>A tool-result block holding text.</summary>
    /// <param name="toolUseId">The ID of the tool call this answers.</param>
    /// <param name="text">The result text.</param>
    /// <param name="isError">True to mark the result as an error (<c>status: error</c>).</param>
    public static ContentBlock FromToolResult(string toolUseId, string text, bool isError = false) => new()
    {
        ToolResult = new ToolResultBlock
        {
            ToolUseId = toolUseId,
            Content = [new ToolResultContentBlock { Text = text }],
            Status = isError ? ToolResultStatus.Error : ToolResultStatus.Success,
        },
    };

    /// <summary>A tool-result block holding JSON.</summary>
    /// <param name="toolUseId">The ID of the tool call this answers.</param>
    /// <param name="json">The result document.</param>
    /// <param name="isError">True to mark the result as an error (<c>status: error</c>).</param>
    public static ContentBlock FromToolResult(string toolUseId, JsonNode json, bool isError = false) => new()
    {
        ToolResult = new ToolResultBlock
        {
            ToolUseId = toolUseId,
            Content = [new ToolResultContentBlock { Json = json }],
            Status = isError ? ToolResultStatus.Error : ToolResultStatus.Success,
        },
    };

    /// <summary>A default prompt-cache checkpoint block.</summary>
    public static ContentBlock CachePointDefault() => new() { CachePoint = CachePointBlock.Default };

    /// <summary>Joins the text of the text blocks (no separator); null blocks and non-text blocks are skipped.</summary>
    internal static string JoinText(IEnumerable<ContentBlock>? blocks)
    {
        if (blocks is null)
        {
            return string.Empty;
        }

        string? single = null;
        StringBuilder? sb = null;
        foreach (ContentBlock block in blocks)
        {
            string? text = block?.Text;
            if (text is null)
            {
                continue;
            }

            if (single is null && sb is null)
            {
                single = text;
            }
            else
            {
                sb ??= new StringBuilder(single);
                sb.Append(text);
            }
        }

        return sb?.ToString() ?? single ?? string.Empty;
    }
}

/// <summary>Wire values for image formats.</summary>
public static class ImageFormat
{
    /// <summary><c>png</c>.</summary>
    public const string Png = "png";

    /// <summary><c>jpeg</c>.</summary>
    public const string Jpeg = "jpeg";

    /// <summary><c>gif</c>.</summary>
    public const string Gif = "gif";

    /// <summary><c>webp</c>.</summary>
    public const string Webp = "webp";
}

/// <summary>Wire values for document formats.</summary>
public static class DocumentFormat
{
    /// <summary><c>pdf</c>.</summary>
    public const string Pdf = "pdf";

    /// <summary><c>csv</c>.</summary>
    public const string Csv = "csv";

    /// <summary><c>doc</c>.</summary>
    public const string Doc = "doc";

    /// <summary><c>docx</c>.</summary>
    public const string Docx = "docx";

    /// <summary><c>xls</c>.</summary>
    public const string Xls = "xls";

    /// <summary><c>xlsx</c>.</summary>
    public const string Xlsx = "xlsx";

    /// <summary><c>html</c>.</summary>
    public const string Html = "html";

    /// <summary><c>txt</c>.</summary>
    public const string Txt = "txt";

    /// <summary><c>md</c>.</summary>
    public const string Md = "md";
}

/// <summary>Wire values for a tool result's status.</summary>
public static class ToolResultStatus
{
    /// <summary><c>success</c>.</summary>
    public const string Success = "success";

    /// <summary><c>error</c>.</summary>
    public const string Error = "error";
}

/// <summary>An S3 object reference.</summary>
public sealed class S3Location
{
    /// <summary>The object URI (<c>s3://bucket/key</c>).</summary>
    public string Uri { get; set; } = string.Empty;

    /// <summary>The bucket owner's account ID, when the bucket belongs to another account.</summary>
    public string? BucketOwner { get; set; }
}

/// <summary>An error attached to a media block in a response.</summary>
public sealed class ErrorBlock
{
    /// <summary>The error message.</summary>
    public string? Message { get; set; }
}

/// <summary>An image block.</summary>
public sealed class ImageBlock
{
    /// <summary>The format: png, jpeg, gif or webp (see <see cref="PromptGen.ImageFormat"/>).</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>Where the image comes from.</summary>
    public ImageSource Source { get; set; } = new();

    /// <summary>An error reported for this image, if any.</summary>
    public ErrorBlock? Error { get; set; }
}

/// <summary>The source of an image (a union: bytes or an S3 location).</summary>
public sealed class ImageSource
{
    /// <summary>Inline bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>An S3 location.</summary>
    public S3Location? S3Location { get; set; }
}

/// <summary>A document block.</summary>
public sealed class DocumentBlock
{
    /// <summary>The format (see <see cref="PromptGen.DocumentFormat"/>); optional for text/content sources.</summary>
    public string? Format { get; set; }

    /// <summary>A neutral document name (1..200 characters).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Where the document comes from.</summary>
    public DocumentSource Source { get; set; } = new();

    /// <summary>Optional context about the document.</summary>
    public string? Context { get; set; }

    /// <summary>Whether citations are enabled for this document.</summary>
    public CitationsConfig? Citations { get; set; }
}

/// <summary>The source of a document (a union).</summary>
public sealed class DocumentSource
{
    /// <summary>Inline bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>An S3 location.</summary>
    public S3Location? S3Location { get; set; }

    /// <summary>Inline text.</summary>
    public string? Text { get; set; }

    /// <summary>Structured text content.</summary>
    public IList<DocumentContentBlock>? Content { get; set; }
}

/// <summary>A piece of structured document content.</summary>
public sealed class DocumentContentBlock
{
    /// <summary>The text.</summary>
    public string? Text { get; set; }
}

/// <summary>Citation settings.</summary>
public sealed class CitationsConfig
{
    /// <summary>Whether citations are enabled.</summary>
    public bool Enabled { get; set; }
}

/// <summary>A video block.</summary>
public sealed class VideoBlock
{
    /// <summary>The format: mkv, mov, mp4, webm, flv, mpeg, mpg, wmv or three_gp.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>Where the video comes from.</summary>
    public MediaSource Source { get; set; } = new();
}

/// <summary>An audio block.</summary>
public sealed class AudioBlock
{
    /// <summary>The format, for example mp3, wav, flac or ogg.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>Where the audio comes from.</summary>
    public MediaSource Source { get; set; } = new();

    /// <summary>An error reported for this clip, if any.</summary>
    public ErrorBlock? Error { get; set; }
}

/// <summary>The source of a video or audio clip (a union: bytes or an S3 location).</summary>
public sealed class MediaSource
{
    /// <summary>Inline bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>An S3 location.</summary>
    public S3Location? S3Location { get; set; }
}

/// <summary>A tool call requested by the model.</summary>
public sealed class ToolUseBlock
{
    /// <summary>The ID of this tool call; echo it in the matching tool result.</summary>
    public string ToolUseId { get; set; } = string.Empty;

    /// <summary>The tool name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The tool input, an arbitrary JSON document (normally an object).</summary>
    public JsonNode? Input { get; set; } = new JsonObject();

    /// <summary>The tool-use type, for example <c>server_tool_use</c> for a server-side tool.</summary>
    public string? Type { get; set; }
}

/// <summary>The result of a tool call.</summary>
public sealed class ToolResultBlock
{
    /// <summary>The ID of the tool call this answers.</summary>
    public string ToolUseId { get; set; } = string.Empty;

    /// <summary>The result content.</summary>
    public IList<ToolResultContentBlock> Content { get; set; } = new List<ToolResultContentBlock>();

    /// <summary><c>success</c> or <c>error</c> (see <see cref="ToolResultStatus"/>).</summary>
    public string? Status { get; set; }

    /// <summary>The result type (server-side tools).</summary>
    public string? Type { get; set; }
}

/// <summary>One piece of a tool result (a union).</summary>
public sealed class ToolResultContentBlock
{
    /// <summary>A JSON document.</summary>
    public JsonNode? Json { get; set; }

    /// <summary>Text.</summary>
    public string? Text { get; set; }

    /// <summary>An image.</summary>
    public ImageBlock? Image { get; set; }

    /// <summary>A document.</summary>
    public DocumentBlock? Document { get; set; }

    /// <summary>A video.</summary>
    public VideoBlock? Video { get; set; }

    /// <summary>A search result.</summary>
    public SearchResultBlock? SearchResult { get; set; }
}

/// <summary>Content for a guardrail to evaluate (a union: text or image).</summary>
public sealed class GuardrailConverseContentBlock
{
    /// <summary>Text to guard.</summary>
    public GuardrailConverseTextBlock? Text { get; set; }

    /// <summary>An image to guard.</summary>
    public GuardrailConverseImageBlock? Image { get; set; }
}

/// <summary>Text for a guardrail.</summary>
public sealed class GuardrailConverseTextBlock
{
    /// <summary>The text.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>Qualifiers: grounding_source, query, guard_content.</summary>
    public IList<string>? Qualifiers { get; set; }
}

/// <summary>An image for a guardrail.</summary>
public sealed class GuardrailConverseImageBlock
{
    /// <summary>png or jpeg.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>The image source.</summary>
    public GuardrailConverseImageSource Source { get; set; } = new();
}

/// <summary>The source of a guardrail image.</summary>
public sealed class GuardrailConverseImageSource
{
    /// <summary>Inline bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; set; }
}

/// <summary>A prompt-cache checkpoint: everything before it may be cached.</summary>
public sealed class CachePointBlock
{
    /// <summary>The cache point type; <c>default</c> is the only value.</summary>
    public string Type { get; set; } = "default";

    /// <summary>Optional time to live: <c>5m</c> or <c>1h</c>.</summary>
    public string? Ttl { get; set; }

    /// <summary>A new default cache point (<c>{"type":"default"}</c>).</summary>
    public static CachePointBlock Default => new();
}

/// <summary>Model reasoning (a union: reasoning text or redacted content).</summary>
public sealed class ReasoningContentBlock
{
    /// <summary>The reasoning text and its signature.</summary>
    public ReasoningTextBlock? ReasoningText { get; set; }

    /// <summary>Encrypted reasoning the provider redacted (base64 on the wire).</summary>
    public byte[]? RedactedContent { get; set; }
}

/// <summary>Reasoning text.</summary>
public sealed class ReasoningTextBlock
{
    /// <summary>The reasoning text.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>The signature that must accompany the text when it is sent back.</summary>
    public string? Signature { get; set; }
}

/// <summary>Generated content with citations.</summary>
public sealed class CitationsContentBlock
{
    /// <summary>The generated content.</summary>
    public IList<CitationGeneratedContent>? Content { get; set; }

    /// <summary>The citations.</summary>
    public IList<Citation>? Citations { get; set; }
}

/// <summary>A piece of generated content.</summary>
public sealed class CitationGeneratedContent
{
    /// <summary>The text.</summary>
    public string? Text { get; set; }
}

/// <summary>A citation.</summary>
public sealed class Citation
{
    /// <summary>The cited source's title.</summary>
    public string? Title { get; set; }

    /// <summary>The cited source.</summary>
    public string? Source { get; set; }

    /// <summary>The cited text.</summary>
    public IList<CitationSourceContent>? SourceContent { get; set; }

    /// <summary>Where in the source the citation points.</summary>
    public CitationLocation? Location { get; set; }
}

/// <summary>Cited source text.</summary>
public sealed class CitationSourceContent
{
    /// <summary>The text.</summary>
    public string? Text { get; set; }
}

/// <summary>Where a citation points (a union).</summary>
public sealed class CitationLocation
{
    /// <summary>A web page.</summary>
    public WebLocation? Web { get; set; }

    /// <summary>A character range in a document.</summary>
    public DocumentRangeLocation? DocumentChar { get; set; }

    /// <summary>A page range in a document.</summary>
    public DocumentRangeLocation? DocumentPage { get; set; }

    /// <summary>A chunk range in a document.</summary>
    public DocumentRangeLocation? DocumentChunk { get; set; }

    /// <summary>A range in a search result.</summary>
    public SearchResultLocation? SearchResultLocation { get; set; }
}

/// <summary>A web page location.</summary>
public sealed class WebLocation
{
    /// <summary>The URL.</summary>
    public string? Url { get; set; }

    /// <summary>The domain.</summary>
    public string? Domain { get; set; }
}

/// <summary>A range in a document (characters, pages or chunks).</summary>
public sealed class DocumentRangeLocation
{
    /// <summary>The index of the document in the request.</summary>
    public int? DocumentIndex { get; set; }

    /// <summary>The start of the range.</summary>
    public int? Start { get; set; }

    /// <summary>The end of the range.</summary>
    public int? End { get; set; }
}

/// <summary>A range in a search result.</summary>
public sealed class SearchResultLocation
{
    /// <summary>The index of the search result.</summary>
    public int? SearchResultIndex { get; set; }

    /// <summary>The start of the range.</summary>
    public int? Start { get; set; }

    /// <summary>The end of the range.</summary>
    public int? End { get; set; }
}

/// <summary>A search result supplied as content.</summary>
public sealed class SearchResultBlock
{
    /// <summary>The source (for example a URL).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>The title.</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>The content.</summary>
    public IList<SearchResultContentBlock> Content { get; set; } = new List<SearchResultContentBlock>();

    /// <summary>Citation settings.</summary>
    public CitationsConfig? Citations { get; set; }
}

/// <summary>A piece of search result content.</summary>
public sealed class SearchResultContentBlock
{
    /// <summary>The text.</summary>
    public string Text { get; set; } = string.Empty;
}

/// <summary>A tool added or removed mid-conversation.</summary>
public sealed class ToolChangeBlock
{
    /// <summary>The tool referred to.</summary>
    public ToolReference Tool { get; set; } = new();
}

/// <summary>A reference to a tool.</summary>
public sealed class ToolReference
{
    /// <summary>The tool type.</summary>
    public string? Type { get; set; }

    /// <summary>The tool name.</summary>
    public string? Name { get; set; }

    /// <summary>The server (for MCP-style tools).</summary>
    public string? ServerName { get; set; }
}
