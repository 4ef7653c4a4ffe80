namespace PromptGen;

/// <summary>The wire values of a message's role.</summary>
public static class ConversationRole
{
    /// <summary><c>user</c>.</summary>
    public const string User = "user";

    /// <summary><c>assistant</c>.</summary>
    public const string Assistant = "assistant";

    /// <summary><c>system</c> (used for toolAddition / toolRemoval messages).</summary>
    public const string System = "system";
}

/// <summary>One turn of a conversation: a role and its content blocks.</summary>
public sealed class Message
{
    /// <summary>Creates an empty message (for serializers and object initializers).</summary>
    public Message()
    {
    }

    /// <summary>Creates a message with the given role and content.</summary>
    /// <param name="role">The role; see <see cref="ConversationRole"/>.</param>
    /// <param name="content">The content blocks.</param>
    public Message(string role, params IEnumerable<ContentBlock> content)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(content);
        Role = role;
        Content = new List<ContentBlock>(content);
    }

    /// <summary>The role: <c>user</c>, <c>assistant</c> or <c>system</c> (see <see cref="ConversationRole"/>).</summary>
    public string Role { get; set; } = ConversationRole.User;

    /// <summary>The content blocks, in order.</summary>
    public IList<ContentBlock> Content { get; set; } = new List<ContentBlock>();

    /// <summary>The text blocks of <see cref="Content"/> joined together (no separator).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Text => ContentBlock.JoinText(Content);

    /// <summary>A user message holding one text block.</summary>
    /// <param name="text">The text.</param>
    public static Message User(string text) => new(ConversationRole.User, ContentBlock.FromText(text));

    /// <summary>A user message holding the given blocks.</summary>
    /// <param name="content">The content blocks.</param>
    public static Message User(params IEnumerable<ContentBlock> content) => new(ConversationRole.User, content);

    /// <summary>An assistant message holding one text block (for example to prefill or replay history).</summary>
    /// <param name="text">The text.</param>
    public static Message Assistant(string text) => new(ConversationRole.Assistant, ContentBlock.FromText(text));

    /// <summary>An assistant message holding the given blocks.</summary>
    /// <param name="content">The content blocks.</param>
    public static Message Assistant(params IEnumerable<ContentBlock> content) => new(ConversationRole.Assistant, content);
}
