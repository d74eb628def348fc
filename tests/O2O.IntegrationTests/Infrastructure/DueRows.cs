using O2O.Application.Storage;

namespace O2O.IntegrationTests.Infrastructure;

/// <summary>A timer's row for an id, whatever bucket it is in: a scan of the table, as only a test may afford.</summary>
public static class DueRows
{
    public static async Task<DueOrderTable.DueEntity?> FindAsync(this TestApp app, string table, string id)
    {
        await foreach (var row in app.Tables.GetTableClient(table).QueryAsync<DueOrderTable.DueEntity>(r => r.RowKey == id))
            return row;
        return null;
    }
}
