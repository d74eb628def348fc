using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using O2O.Application;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpProblemMiddleware>();
builder.Services.AddO2OBackend(builder.Configuration);
builder.Build().Run();
