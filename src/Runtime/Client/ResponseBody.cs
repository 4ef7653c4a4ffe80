using System.Buffers;

namespace PromptGen;

/// <summary>A response body read into a pooled buffer, bounded so a hostile or broken endpoint cannot exhaust memory.</summary>
internal sealed class ResponseBody : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private ResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>
    /// Reads the whole body. Past <paramref name="maxLength"/> bytes it throws a <see cref="BedrockStreamException"/> (<see cref="BedrockStreamFailure.EventTooLarge"/>),
    /// or, with <paramref name="truncate"/>, keeps the first <paramref name="maxLength"/> bytes (enough for an error message).
    /// </summary>
    public static async Task<ResponseBody> ReadAsync(HttpResponseMessage response, int maxLength, CancellationToken cancellationToken, bool truncate = false)
    {
        long? declared = response.Content.Headers.ContentLength;
        if (declared > maxLength && !truncate)
        {
            throw Errors.TooLarge(declared.Value, maxLength, BedrockClient.RequestId(response));
        }

        int initial = declared is { } known and >= 0 ? (int)Math.Min(known, maxLength) : 4096;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
        int length = 0;
        try
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    int capacity = Math.Min(buffer.Length, maxLength);
                    if (length == capacity)
                    {
                        if (length >= maxLength)
                        {
                            if (truncate)
                            {
                                break;
                            }

                            // One more byte tells an exactly-full body from an oversized one.
                            byte[] probe = new byte[1];
                            if (await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
                            {
                                break;
                            }

                            throw Errors.TooLarge(null, maxLength, BedrockClient.RequestId(response));
                        }

                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxLength));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                        continue;
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(length, capacity - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            return new ResponseBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
