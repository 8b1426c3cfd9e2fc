import Foundation

/// Reads Apollo's fixed-window quota headers (docs/reference/apollo.md §6): per minute, hour and day, with the day
/// spelled either `x-daily-requests-left` (the docs) or `x-24-hour-requests-left` (what live clients read). The
/// tightest exhausted window pauses the provider until it rolls over.
public enum ApolloRateLimitHeaders {
    static let windows: [(names: [String], seconds: TimeInterval)] = [
        (["x-minute-requests-left"], 60),
        (["x-hourly-requests-left"], 3600),
        (["x-daily-requests-left", "x-24-hour-requests-left"], 86400),
    ]

    /// The quota of the window that runs out first, or nil when the response has no such headers.
    public static func quota(_ response: ProviderResponse) -> RateQuota? {
        var tightest: RateQuota?
        for window in windows {
            guard let text = window.names.lazy.compactMap({ response.header($0) }).first,
                let left = Int(text.trimmingCharacters(in: .whitespaces))
            else { continue }
            // Apollo does not say when a window resets: wait for a whole window when one is used up.
            let quota = RateQuota(remaining: left, resetIn: window.seconds)
            if let current = tightest {
                if left <= 0 && (current.remaining > 0 || quota.resetIn > current.resetIn) { tightest = quota }
            } else {
                tightest = quota
            }
        }
        return tightest
    }
}
