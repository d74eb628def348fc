using O2O.Application.AfterSales;

namespace O2O.Functions.AfterSales;

/// <summary>Every minute: unanswered cases past the store's time are approved, returns not brought back in time closed, interrupted steps finished.</summary>
public sealed class ApplyAfterSalesDeadlines(AfterSalesDeadlines deadlines)
{
    [Function(nameof(ApplyAfterSalesDeadlines))]
    public Task Run([TimerTrigger("20 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => // off the second the other sweeps start
        deadlines.RunAsync(cancellationToken);
}
