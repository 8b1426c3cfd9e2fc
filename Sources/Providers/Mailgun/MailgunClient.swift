import Foundation

/// Sends e-mail through Mailgun (docs/reference/messaging.md §2.1): `POST /v3/{domain}/messages` on the US or EU
/// base URL (the domain's region decides), HTTP Basic `api:<key>`, a form body (`from`, `to`, `subject`,
/// `text`, `html`, `o:tag`, `h:<Header>`, `v:<variable>`), 200 `{"id": "<…>", "message": "Queued. Thank
/// you."}`, errors `{"message": …}`. A send is not idempotent, so only a 429 is sent again. Mailgun documents
/// multipart/form-data; a urlencoded form works in practice (inferred), and is what this sends.
public struct MailgunClient: Sendable {
    public static let usBaseURL = URL(string: "https://api.mailgun.net")!
    public static let euBaseURL = URL(string: "https://api.eu.mailgun.net")!

    let transport: ProviderTransport
    let endpoint: ProviderEndpoint
    let domain: String

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint, domain: String) {
        self.transport = transport
        self.endpoint = endpoint
        self.domain = domain
    }

    public static func endpoint(
        apiKey: String, baseURL: URL = usBaseURL, timeout: Duration = .seconds(30), limiter: RateLimiter? = nil
    ) -> ProviderEndpoint {
        let basic = Data("api:\(apiKey)".utf8).base64EncodedString()
        return ProviderEndpoint(
            provider: "mailgun", baseURL: baseURL, headers: [("Authorization", "Basic \(basic)")], timeout: timeout,
            maxAttempts: 3, limiter: limiter)
    }

    /// One message: its headers go as `h:`, its variables (returned in every event as `user-variables`) as
    /// `v:`.
    public struct Message: Sendable, Equatable {
        public var from: String
        public var to: [String]
        public var subject: String
        public var text: String?
        public var html: String?
        public var tags: [String]
        public var headers: [(String, String)]
        public var variables: [(String, String)]

        public init(
            from: String, to: [String], subject: String, text: String?, html: String? = nil, tags: [String] = [],
            headers: [(String, String)] = [], variables: [(String, String)] = []
        ) {
            self.from = from
            self.to = to
            self.subject = subject
            self.text = text
            self.html = html
            self.tags = tags
            self.headers = headers
            self.variables = variables
        }

        public static func == (lhs: Message, rhs: Message) -> Bool {
            lhs.from == rhs.from && lhs.to == rhs.to && lhs.subject == rhs.subject && lhs.text == rhs.text
                && lhs.html == rhs.html && lhs.tags == rhs.tags && lhs.headers.map(\.0) == rhs.headers.map(\.0)
                && lhs.headers.map(\.1) == rhs.headers.map(\.1) && lhs.variables.map(\.0) == rhs.variables.map(\.0)
                && lhs.variables.map(\.1) == rhs.variables.map(\.1)
        }

        var fields: [(String, String)] {
            var fields: [(String, String)] = [("from", from)]
            fields += to.map { ("to", $0) }
            fields.append(("subject", subject))
            if let text { fields.append(("text", text)) }
            if let html { fields.append(("html", html)) }
            fields += tags.map { ("o:tag", $0) }
            fields += headers.map { ("h:\($0.0)", $0.1) }
            fields += variables.map { ("v:\($0.0)", $0.1) }
            return fields
        }
    }

    /// Sends the message; returns Mailgun's id, the `Message-Id` with its angle brackets.
    public func send(_ message: Message) async throws(MailgunError) -> String {
        let response: ProviderResponse
        do {
            response = try await transport.send(
                ProviderRequest(
                    .post, "/v3/\(domain)/messages", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    json: Data(TwilioClient.form(message.fields).utf8), isIdempotent: false),
                to: endpoint)
        } catch let error as ProviderError {
            throw MailgunError.from(error)
        } catch {
            throw .unavailable("\(error)")
        }
        struct Answer: Decodable { var id: String }
        do { return try JSONDecoder().decode(Answer.self, from: response.body).id } catch {
            throw .unavailable("Mailgun answered \(response.status) without a message id")
        }
    }
}

/// Why Mailgun did not take a message.
public enum MailgunError: Error, Sendable, Equatable, CustomStringConvertible {
    case unauthorized(String)
    case rejected(status: Int, message: String)
    case rateLimited(retryAfter: TimeInterval?)
    case unavailable(String)
    case timedOut

    public var description: String {
        switch self {
        case .unauthorized(let message): "Mailgun refused the API key: \(message)"
        case .rejected(let status, let message): "Mailgun refused the message (\(status)): \(message)"
        case .rateLimited(let retryAfter):
            "Mailgun is rate limiting the messages" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .unavailable(let message): "Mailgun is unavailable: \(message)"
        case .timedOut: "Mailgun did not answer in time"
        }
    }

    static func from(_ error: ProviderError) -> MailgunError {
        switch error {
        case .rateLimited(_, let retryAfter, _): return .rateLimited(retryAfter: retryAfter)
        case .timeout: return .timedOut
        case .unreachable: return .unavailable(error.description)
        case .http(_, let status, let text):
            struct Body: Decodable { var message: String? }
            let message =
                (try? JSONDecoder().decode(Body.self, from: Data(text.utf8)))?.message
                ?? (text.isEmpty ? "HTTP \(status)" : text.trimmingCharacters(in: .whitespacesAndNewlines))
            switch status {
            case 401, 403: return .unauthorized(message)
            case 400..<500: return .rejected(status: status, message: message)
            default: return .unavailable("HTTP \(status): \(message)")
            }
        }
    }
}
