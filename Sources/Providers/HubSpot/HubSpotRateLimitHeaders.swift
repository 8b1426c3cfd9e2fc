import Foundation

/// Reads HubSpot's quota headers (docs/reference/hubspot.md): requests left in the ten-second interval, and in the
/// day for private apps. None left pauses the provider until the window rolls over.
public enum HubSpotRateLimitHeaders {
    public static func quota(_ response: ProviderResponse) -> RateQuota? {
        let interval =
            response.header("x-hubspot-ratelimit-interval-milliseconds").flatMap(Double.init).map { $0 / 1000 } ?? 10
        let daily = response.header("x-hubspot-ratelimit-daily-remaining").flatMap(Int.init)
        if let daily, daily <= 0 {
            // The day resets at midnight in the account's time zone, which the headers do not say: look again
            // in an hour.
            return RateQuota(remaining: 0, resetIn: 3600)
        }
        guard let left = response.header("x-hubspot-ratelimit-remaining").flatMap(Int.init) else {
            return daily.map { RateQuota(remaining: $0, resetIn: 3600) }
        }
        return RateQuota(remaining: left, resetIn: interval)
    }
}
