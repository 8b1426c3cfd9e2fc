import Foundation
import LeadgenCore

/// How to reach one provider: its base URL (configurable, so tests, demos and proxies work alike), the
/// headers every request carries (credentials among them), and its time and retry limits.
public struct ProviderEndpoint: Sendable {
    public var provider: String
    public var baseURL: URL
    public var headers: [(name: String, value: String)]
    public var timeout: Duration
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// Shared by every request to this provider in the process; nil sends without limit.
    public var limiter: RateLimiter?
    /// Reads what the provider's rate-limit headers say is left, so the limiter slows down before a 429.
    public var quota: (@Sendable (ProviderResponse) -> RateQuota?)?
    /// Set when the base URL came from a user or a workspace (a connection, a scenario): every request is
    /// then checked by this policy first. Nil for the operator's own settings, which are trusted.
    public var outbound: OutboundURLPolicy?

    public init(
        provider: String, baseURL: URL, headers: [(name: String, value: String)] = [], timeout: Duration = .seconds(30),
        maxAttempts: Int = 4, limiter: RateLimiter? = nil,
        quota: (@Sendable (ProviderResponse) -> RateQuota?)? = nil, outbound: OutboundURLPolicy? = nil
    ) {
        self.provider = provider
        self.baseURL = baseURL
        self.headers = headers
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.limiter = limiter
        self.quota = quota
        self.outbound = outbound
    }
}

/// What a provider's headers say about its quota: requests left in the tightest window, and when it resets.
public struct RateQuota: Sendable, Equatable {
    public var remaining: Int
    public var resetIn: TimeInterval

    public init(remaining: Int, resetIn: TimeInterval) {
        self.remaining = remaining
        self.resetIn = resetIn
    }
}

/// One call to a provider.
public struct ProviderRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public var method: Method
    /// Appended to the endpoint's base URL: "/people/match".
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Whether sending it twice does no harm, so that an attempt whose outcome is unknown (a timeout, a
    /// dropped connection, a 5xx) may be repeated. A 429 is always retried: the provider did not act on it.
    public var isIdempotent: Bool

    public init(
        _ method: Method, _ path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], json body: Data? = nil, isIdempotent: Bool? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent ?? (method == .get || method == .put || method == .delete)
    }
}

/// A provider's answer.
public struct ProviderResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// When it arrived, by the transport's clock: what a `Retry-After` date or a reset epoch is measured from.
    public var receivedAt: Date

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why a provider call failed, typed so callers can decide: back off, give up, or report.
public enum ProviderError: Error, Sendable, CustomStringConvertible {
    /// 429 on the last attempt; `retryAfter` is the provider's hint, if it gave one.
    case rateLimited(provider: String, retryAfter: TimeInterval?, body: String)
    /// Any other error status, with the provider's body (never the request's secrets).
    case http(provider: String, status: Int, body: String)
    case timeout(provider: String)
    case unreachable(provider: String, reason: String)

    public var description: String {
        switch self {
        case .rateLimited(let provider, let retryAfter, _):
            "\(provider) is rate limiting the requests" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .http(let provider, let status, let body): "\(provider) answered \(status): \(body.prefix(300))"
        case .timeout(let provider): "\(provider) did not answer in time"
        case .unreachable(let provider, let reason): "\(provider) cannot be reached: \(reason)"
        }
    }
}
