using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace O2O.Functions.Http;

/// <summary>A file compiled into the app: the store console's pages and the OpenAPI document.</summary>
public sealed record EmbeddedFile(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The app's static files, compiled in as resources (see the csproj) and served from memory: a
/// request can only name one of them, never a path on disk, and a deployment cannot miss one.
/// </summary>
public static class EmbeddedFiles
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, EmbeddedFile>> All = new(Load);

    public static EmbeddedFile? Find(string name) => All.Value.GetValueOrDefault(name);

    private static FrozenDictionary<string, EmbeddedFile> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, EmbeddedFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            files[name] = new EmbeddedFile(name, content, contentType, $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"");
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>
/// Writes an embedded file. Browsers revalidate every time (no-cache with an ETag), so a new
/// deployment is seen at once; pages may load only the app's own scripts and call only its API.
/// </summary>
/// <param name="connectTo">An origin besides the app's own that the page may call: Entra ID's, where the head-office page redeems its
/// sign-in code.</param>
public sealed class EmbeddedFileResult(EmbeddedFile file, string? connectTo = null) : IActionResult
{
    private readonly string _contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; object-src " +
            "'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" + (connectTo is null ? "" : $"; connect-src 'self' {connectTo}");

    public Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = _contentSecurityPolicy;
            response.Headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
        }
        if (context.HttpContext.Request.Headers.IfNoneMatch == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        return response.Body.WriteAsync(file.Content, context.HttpContext.RequestAborted).AsTask();
    }
}
