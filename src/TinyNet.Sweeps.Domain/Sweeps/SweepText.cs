using System.Globalization;
using System.Text;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Checks a sweep file as text before YAML sees it: strict UTF-8, no control characters, and positions
/// counted the way YamlDotNet counts them (lines end at LF, CR LF, CR, NEL, LS or PS; a column is a UTF-16 char).
/// </summary>
internal static class SweepText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of a UTF-8 file without its byte-order mark, or null after reporting the first invalid byte.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, Diagnostics diagnostics)
    {
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            int bad = FirstInvalidByte(bytes);
            var (line, column) = Position(StrictUtf8.GetString(bytes[..bad]), int.MaxValue);
            string utf16 = bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] ? " (it looks like UTF-16)" : "";
            diagnostics.Error(line, column, $"byte 0x{bytes[bad]:X2} is not valid UTF-8{utf16}; save the sweep file as UTF-8 text");
            return null;
        }
    }

    /// <summary>Reports the first control character other than tab, LF and CR (one error, with a count of the others).</summary>
    public static bool CheckControlCharacters(string text, Diagnostics diagnostics)
    {
        int first = -1, count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] < ' ' && text[i] is not ('\t' or '\n' or '\r'))
            {
                if (first < 0) first = i;
                count++;
            }
        }
        if (first < 0)
            return true;
        var (line, column) = Position(text, first);
        string name = text[first] == '\0' ? "a NUL character (U+0000)" : $"the control character U+{(int)text[first]:X4}";
        string more = count > 1 ? $" ({count - 1} more control characters follow)" : "";
        diagnostics.Error(line, column, $"the file contains {name}; a sweep file is plain text, whose only control characters are tab, line feed and carriage return{more}");
        return false;
    }

    /// <summary>1-based line and column of <paramref name="index"/> (or of the end of the text, when past it).</summary>
    public static (int Line, int Column) Position(string text, int index)
    {
        int line = 1, lineStart = 0, end = Math.Min(index, text.Length);
        for (int i = 0; i < end; i++)
        {
            char c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                continue; // CR LF is one break, counted at the LF
            if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, end - lineStart + 1);
    }

    /// <summary>User text inside a message: cut to <paramref name="limit"/> characters, control characters escaped, so one message stays one short line.</summary>
    public static string Shown(string text, int limit = 60)
    {
        int max = text.Length > limit && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit; // never split a surrogate pair
        var shown = new StringBuilder();
        foreach (char c in text.Length > max ? text[..max] : text)
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.Length > max ? shown + "…" : shown.ToString();
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
            at += consumed;
        return Math.Min(at, bytes.Length - 1);
    }
}
