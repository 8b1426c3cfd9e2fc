import Foundation

/// Sends e-mail through SendGrid's v3 Mail Send (docs/reference/messaging.md §1.1) over the shared transport:
/// `Authorization: Bearer <API key>`, 202 with `X-Message-Id` (the key to its events), JSON error bodies
/// `{"errors": [{message, field, help}]}`, and the `X-RateLimit-*` headers read into the limiter. A send is
/// not idempotent (a second call is a second e-mail), so only a 429 is sent again.
public struct SendGridClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.sendgrid.com")!
    /// EU regional subusers.
    public static let euBaseURL = URL(string: "https://api.eu.sendgrid.com")!
    public static let maxPersonalizations = 1000

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    public static func endpoint(
        apiKey: String, baseURL: URL = defaultBaseURL, timeout: Duration = .seconds(30), limiter: RateLimiter? = nil
    ) -> ProviderEndpoint {
        ProviderEndpoint(
            provider: "sendgrid", baseURL: baseURL, headers: [("Authorization", "Bearer \(apiKey)")],
            timeout: timeout, maxAttempts: 3, limiter: limiter, quota: { SendGridRateLimitHeaders.quota($0) })
    }

    /// Sends the mail; returns SendGrid's message id (`X-Message-Id`).
    public func send(_ mail: SendGridMail) async throws(SendGridError) -> String {
        guard (1...Self.maxPersonalizations).contains(mail.personalizations.count) else {
            throw .rejected(
                status: 400, errors: [.init(message: "1 to 1000 personalizations", field: "personalizations")])
        }
        let body: Data
        do { body = try JSONEncoder().encode(mail) } catch {
            throw .rejected(status: 0, errors: [.init(message: "cannot encode the mail: \(error)", field: nil)])
        }
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(.post, "/v3/mail/send", json: body, isIdempotent: false), to: endpoint)
        } catch let error as ProviderError {
            throw SendGridError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        guard let id = response.header("x-message-id"), !id.isEmpty else {
            throw .unavailable("SendGrid answered \(response.status) without an X-Message-Id")
        }
        return id
    }
}

/// SendGrid's rate-limit headers: `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds).
public enum SendGridRateLimitHeaders {
    public static func quota(_ response: ProviderResponse) -> RateQuota? {
        guard let remaining = response.header("x-ratelimit-remaining").flatMap(Int.init),
            let reset = response.header("x-ratelimit-reset").flatMap(Double.init)
        else { return nil }
        return RateQuota(remaining: remaining, resetIn: max(0, reset - response.receivedAt.timeIntervalSince1970))
    }
}

/// Why SendGrid did not take a mail.
public enum SendGridError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct FieldError: Sendable, Equatable, Decodable {
        public var message: String
        public var field: String?

        public init(message: String, field: String?) {
            self.message = message
            self.field = field
        }
    }

    case unauthorized(String)
    case forbidden(String)
    /// A 4xx: the mail is wrong (each problem with its field, such as `personalizations.0.to.0.email`).
    case rejected(status: Int, errors: [FieldError])
    case rateLimited(retryAfter: TimeInterval?)
    /// A 5xx or no answer: the mail may or may not have been sent.
    case unavailable(String)
    case timedOut

    public var description: String {
        switch self {
        case .unauthorized(let message): "SendGrid refused the API key: \(message)"
        case .forbidden(let message): "SendGrid refused the call: \(message)"
        case .rejected(let status, let errors):
            "SendGrid refused the mail (\(status)): "
                + errors.map { ($0.field.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ")
        case .rateLimited(let retryAfter):
            "SendGrid rate limit" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .unavailable(let message): "SendGrid is unavailable: \(message)"
        case .timedOut: "SendGrid did not answer in time"
        }
    }

    static func from(_ error: ProviderError) -> SendGridError {
        switch error {
        case .rateLimited(_, let retryAfter, _): return .rateLimited(retryAfter: retryAfter)
        case .timeout: return .timedOut
        case .unreachable: return .unavailable(error.description)
        case .http(_, let status, let text):
            struct Body: Decodable { var errors: [FieldError]? }
            let errors = (try? JSONDecoder().decode(Body.self, from: Data(text.utf8)))?.errors ?? []
            let message = errors.first?.message ?? (text.isEmpty ? "HTTP \(status)" : String(text.prefix(300)))
            switch status {
            case 401: return .unauthorized(message)
            case 403: return .forbidden(message)
            case 400..<500:
                return .rejected(
                    status: status, errors: errors.isEmpty ? [.init(message: message, field: nil)] : errors)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }
}
