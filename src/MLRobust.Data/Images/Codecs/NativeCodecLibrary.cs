namespace MLRobust.ML.Data.Codecs;

/// <summary>Turns a missing system codec library into an error that says what to install.</summary>
internal static class NativeCodecLibrary
{
    internal static T Call<T>(string library, string package, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (DllNotFoundException ex)
        {
            throw new InvalidOperationException($"The system library {library} could not be loaded; install the '{package}' package.", ex);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new InvalidOperationException($"The system library {library} is too old (missing {ex.Message}); install a newer '{package}'.", ex);
        }
    }
}
