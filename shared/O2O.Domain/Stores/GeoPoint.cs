namespace O2O.Domain.Stores;

/// <summary>A WGS-84 position as the mini-program reports it.</summary>
public readonly record struct GeoPoint(double Lat, double Lng)
{
    private const double EarthRadiusM = 6_371_008.8;

    /// <summary>Great-circle (haversine) distance in metres.</summary>
    public double DistanceMetersTo(GeoPoint other)
    {
        var dLat = ToRadians(other.Lat - Lat);
        var dLng = ToRadians(other.Lng - Lng);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
              + Math.Cos(ToRadians(Lat)) * Math.Cos(ToRadians(other.Lat)) * Math.Pow(Math.Sin(dLng / 2), 2);
        return 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
