using System.Text;

namespace O2O.Functions.Http;

/// <summary>A CSV the browser saves under <paramref name="fileName"/> rather than shows.</summary>
public sealed class CsvDownload(string fileName, string csv) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv), context.HttpContext.RequestAborted);
    }
}
