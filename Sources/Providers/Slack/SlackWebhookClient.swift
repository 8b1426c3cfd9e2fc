import Foundation

/// Posts messages to a Slack incoming webhook (docs/reference/messaging.md §4.1): JSON `{text, blocks}`, answered
/// `200 ok` in plain text; errors are plain-text codes with their status. A post is not idempotent (a second
/// one is a second message), so only a 429 — which Slack did not act on — is sent again.
public struct SlackWebhookClient: Sendable {
    let transport: ProviderTransport
    let endpoint: ProviderEndpoint

    public init(transport: ProviderTransport, endpoint: ProviderEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    /// The webhook URL is the credential; Slack allows about one message a second.
    public static func endpoint(
        webhookURL: URL, timeout: Duration = .seconds(15),
        limiter: RateLimiter? = RateLimiter(capacity: 3, perSecond: 1)
    ) -> ProviderEndpoint {
        ProviderEndpoint(provider: "slack", baseURL: webhookURL, timeout: timeout, maxAttempts: 3, limiter: limiter)
    }

    /// Posts `text` (the notification text, and the fallback when `blocks` are given).
    public func post(text: String, blocks: Data? = nil) async throws(SlackError) {
        guard !text.isEmpty || blocks != nil else { throw .rejected(status: 400, code: "no_text") }
        var body = "{\"text\":" + String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        if let blocks { body += ",\"blocks\":" + String(decoding: blocks, as: UTF8.self) }
        body += "}"
        let request = ProviderRequest(
            .post, "", headers: [("Content-Type", "application/json")], json: Data(body.utf8), isIdempotent: false)
        do {
            let response = try await transport.send(request, to: endpoint)
            let answer = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard answer == "ok" else { throw SlackError.rejected(status: response.status, code: answer) }
        } catch let error as SlackError {
            throw error
        } catch let error as ProviderError {
            throw SlackError(error)
        } catch {
            throw .unavailable("\(error)")
        }
    }
}

/// Why Slack refused or did not take a message.
public enum SlackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A plain-text error code with its status (`invalid_payload`, `channel_not_found`, `no_service`…).
    case rejected(status: Int, code: String)
    case rateLimited(retryAfter: TimeInterval?)
    /// A 5xx, a timeout or no connection: the message may or may not have been posted.
    case unavailable(String)

    init(_ error: ProviderError) {
        switch error {
        case .rateLimited(_, let retryAfter, _): self = .rateLimited(retryAfter: retryAfter)
        case .http(_, let status, let body) where status < 500:
            self = .rejected(status: status, code: body.trimmingCharacters(in: .whitespacesAndNewlines))
        default: self = .unavailable(error.description)
        }
    }

    /// The webhook is gone (revoked, channel deleted or archived): posting again cannot work.
    public var isPermanent: Bool {
        if case .rejected(let status, let code) = self {
            return status == 404 || status == 410 || code == "no_service" || code == "invalid_token"
        }
        return false
    }

    public var description: String {
        switch self {
        case .rejected(let status, let code): "Slack refused the message (\(status) \(code))"
        case .rateLimited(let retryAfter):
            "Slack is rate limiting the webhook" + (retryAfter.map { "; retry after \(Int($0)) s" } ?? "")
        case .unavailable(let reason): "Slack did not take the message: \(reason)"
        }
    }
}
