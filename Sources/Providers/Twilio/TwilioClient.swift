import Foundation

/// Sends SMS through Twilio's Messages resource (docs/reference/messaging.md §3.1): `POST
/// /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic `AccountSid:AuthToken`, a form body, 201 with
/// the Message JSON; errors `{code, message, more_info, status}` (21211 invalid To, 21610 the recipient
/// replied STOP). A send is not idempotent, so only a 429 is sent again.
public struct TwilioClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.twilio.com")!

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint
    let accountSID: String

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint, accountSID: String) {
        self.transport = transport
        self.endpoint = endpoint
        self.accountSID = accountSID
    }

    public static func endpoint(
        accountSID: String, authToken: String, baseURL: URL = defaultBaseURL, timeout: Duration = .seconds(30),
        limiter: RateLimiter? = nil
    ) -> ProviderEndpoint {
        let basic = Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        return ProviderEndpoint(
            provider: "twilio", baseURL: baseURL, headers: [("Authorization", "Basic \(basic)")], timeout: timeout,
            maxAttempts: 3, limiter: limiter)
    }

    /// A message as Twilio describes it.
    public struct Message: Decodable, Sendable, Equatable {
        public var sid: String
        public var status: String
        public var to: String
        public var from: String?
        public var numSegments: String?
        public var errorCode: Int?

        enum CodingKeys: String, CodingKey {
            case sid, status, to, from
            case numSegments = "num_segments"
            case errorCode = "error_code"
        }
    }

    /// Sends `body` to `to` (E.164) from a number or a Messaging Service; Twilio posts status changes to
    /// `statusCallback`.
    public func send(to: String, from: String?, messagingServiceSID: String? = nil, body: String, statusCallback: URL?)
        async throws(TwilioError) -> Message
    {
        var fields: [(String, String)] = [("To", to), ("Body", body)]
        if let from { fields.append(("From", from)) }
        if let messagingServiceSID { fields.append(("MessagingServiceSid", messagingServiceSID)) }
        if let statusCallback { fields.append(("StatusCallback", statusCallback.absoluteString)) }
        let form = Self.form(fields)
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(
                    .post, "/2010-04-01/Accounts/\(accountSID)/Messages.json",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")], json: Data(form.utf8),
                    isIdempotent: false),
                to: endpoint)
        } catch let error as ProviderError {
            throw TwilioError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        do { return try JSONDecoder().decode(Message.self, from: response.body) } catch {
            throw .unavailable("Twilio answered \(response.status) with a body that is not a Message")
        }
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.0) + "="
                + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)
        }.joined(separator: "&")
    }
}

/// Why Twilio did not take a message.
public enum TwilioError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(String)
    /// A 4xx with Twilio's error code: 21211 invalid To, 21606 From cannot send SMS, 21610 the recipient
    /// replied STOP (not charged).
    case rejected(status: Int, code: Int?, message: String)
    case rateLimited(retryAfter: TimeInterval?)
    /// A 5xx or no answer: the message may or may not have been sent.
    case unavailable(String)
    case timedOut

    /// The recipient opted out (21610): never send to them again.
    public var isOptedOut: Bool {
        if case .rejected(_, 21610?, _) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unauthorized(let message): "Twilio refused the credentials: \(message)"
        case .rejected(let status, let code, let message):
            "Twilio refused the message (\(status)\(code.map { ", error \($0)" } ?? "")): \(message)"
        case .rateLimited(let retryAfter):
            "Twilio is rate limiting the messages" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .unavailable(let message): "Twilio is unavailable: \(message)"
        case .timedOut: "Twilio did not answer in time"
        }
    }

    static func from(_ error: ProviderError) -> TwilioError {
        switch error {
        case .rateLimited(_, let retryAfter, _): return .rateLimited(retryAfter: retryAfter)
        case .timeout: return .timedOut
        case .unreachable: return .unavailable(error.description)
        case .http(_, let status, let text):
            struct Body: Decodable {
                var code: Int?
                var message: String?
            }
            let body = try? JSONDecoder().decode(Body.self, from: Data(text.utf8))
            let message = body?.message ?? (text.isEmpty ? "HTTP \(status)" : String(text.prefix(300)))
            switch status {
            case 401: return .unauthorized(message)
            case 400..<500: return .rejected(status: status, code: body?.code, message: message)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }
}
