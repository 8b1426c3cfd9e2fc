import Foundation
import LeadgenCore
import Outreach
import Providers
import Storage

/// What came of handing a message to a vendor.
public enum SendOutcome: Sendable, Equatable {
    /// The vendor took it; its id for the message.
    case sent(providerMessageID: String)
    /// The vendor refused it for good (an invalid address; `optedOut`: the recipient had replied STOP).
    case refused(String, optedOut: Bool)
    /// The vendor surely did not take it (rate limited, not connected): try again later.
    case notSent(String, retryAfter: TimeInterval?)
    /// No answer that says (a timeout, a 5xx): it may have gone out.
    case unknown(String)
}

/// Hands messages to SendGrid, Mailgun or Twilio, as the sender says, and calls webhook steps.
public protocol MessageTransport: Sendable {
    func send(
        _ message: OutreachMessage, composed: ComposedMessage, sender: OutreachSender, recipientName: String?
    ) async -> SendOutcome
    func callWebhook(_ url: URL, payload: Data) async -> SendOutcome
}

/// The vendors, through the workspace's connections or the environment (`ProviderRegistry`). Every message
/// carries our message and workspace ids (SendGrid custom arguments, Mailgun variables) so each event the
/// vendor sends back names the message it is about; Twilio's status callbacks name its message SID.
public struct VendorMessageTransport: MessageTransport {
    let registry: ProviderRegistry
    let publicURL: URL?
    let clients: ClientCache

    public init(registry: ProviderRegistry, publicURL: URL?, time: TimeSource) {
        self.registry = registry
        self.publicURL = publicURL
        clients = ClientCache(time: time)
    }

    /// How long to wait before trying again a vendor that is not connected or refused the credentials.
    static let configurationRetry: TimeInterval = 900

    public func send(
        _ message: OutreachMessage, composed: ComposedMessage, sender: OutreachSender, recipientName: String?
    ) async -> SendOutcome {
        switch sender.provider {
        case "sendgrid": await sendgrid(message, composed, sender, recipientName)
        case "mailgun": await mailgun(message, composed, sender, recipientName)
        case "twilio": await twilio(message, composed, sender)
        default: .notSent("no vendor called \(sender.provider)", retryAfter: Self.configurationRetry)
        }
    }

    static func customArguments(_ message: OutreachMessage) -> [String: String] {
        ["leadgen_workspace_id": message.workspaceID.rawValue, "leadgen_message_id": message.id]
    }

    func sendgrid(_ message: OutreachMessage, _ composed: ComposedMessage, _ sender: OutreachSender, _ name: String?)
        async -> SendOutcome
    {
        let client: SendGridClient
        do {
            client = try await clients.client("sendgrid", message.workspaceID) {
                try await registry.sendgrid(for: message.workspaceID)
            }
        } catch {
            return .notSent("\(error)", retryAfter: Self.configurationRetry)
        }
        let mail = SendGridMail(
            personalizations: [
                .init(
                    to: [.init(email: message.recipient, name: name)], subject: composed.subject,
                    customArgs: Self.customArguments(message),
                    headers: Dictionary(composed.headers, uniquingKeysWith: { first, _ in first }))
            ],
            from: .init(email: sender.address, name: sender.name), replyTo: .init(email: sender.address),
            subject: composed.subject, text: composed.text, html: composed.html, categories: ["leadgen"])
        do {
            return .sent(providerMessageID: try await client.send(mail))
        } catch {
            switch error {
            case .unauthorized(let text), .forbidden(let text):
                return .notSent("SendGrid refused the credentials: \(text)", retryAfter: Self.configurationRetry)
            case .rejected: return .refused(error.description, optedOut: false)
            case .rateLimited(let after): return .notSent(error.description, retryAfter: after)
            case .unavailable, .timedOut: return .unknown(error.description)
            }
        }
    }

    func mailgun(_ message: OutreachMessage, _ composed: ComposedMessage, _ sender: OutreachSender, _ name: String?)
        async -> SendOutcome
    {
        let client: MailgunClient
        do {
            client = try await clients.client("mailgun", message.workspaceID) {
                try await registry.mailgun(for: message.workspaceID)
            }
        } catch {
            return .notSent("\(error)", retryAfter: Self.configurationRetry)
        }
        let to =
            name.map { "\($0.replacingOccurrences(of: "\"", with: "")) <\(message.recipient)>" } ?? message.recipient
        let mail = MailgunClient.Message(
            from: "\(sender.name.replacingOccurrences(of: "\"", with: "")) <\(sender.address)>", to: [to],
            subject: composed.subject ?? "", text: composed.text, html: composed.html, tags: ["leadgen"],
            headers: composed.headers + [("Reply-To", sender.address)],
            variables: Self.customArguments(message).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        do {
            let id: String = try await client.send(mail)
            return .sent(providerMessageID: id.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
        } catch {
            switch error {
            case .unauthorized(let text):
                return .notSent("Mailgun refused the credentials: \(text)", retryAfter: Self.configurationRetry)
            case .rejected: return .refused(error.description, optedOut: false)
            case .rateLimited(let after): return .notSent(error.description, retryAfter: after)
            case .unavailable, .timedOut: return .unknown(error.description)
            }
        }
    }

    func twilio(_ message: OutreachMessage, _ composed: ComposedMessage, _ sender: OutreachSender) async -> SendOutcome
    {
        let client: TwilioClient
        do {
            client = try await clients.client("twilio", message.workspaceID) {
                try await registry.twilio(for: message.workspaceID).client
            }
        } catch {
            return .notSent("\(error)", retryAfter: Self.configurationRetry)
        }
        // The callback names our message and workspace, so a status that comes back before the send's answer
        // was recorded still finds its message (Twilio signs the URL with its query).
        let callback = publicURL.flatMap { base -> URL? in
            var components = URLComponents(
                url: base.appendingPathComponent("webhooks/twilio/status"), resolvingAgainstBaseURL: false)
            components?.queryItems = Self.customArguments(message).sorted { $0.key < $1.key }.map {
                URLQueryItem(name: $0.key, value: $0.value)
            }
            return components?.url
        }
        do {
            let sent = try await client.send(
                to: message.recipient, from: sender.address, body: composed.text, statusCallback: callback)
            return .sent(providerMessageID: sent.sid)
        } catch {
            switch error {
            case .unauthorized(let text):
                return .notSent("Twilio refused the credentials: \(text)", retryAfter: Self.configurationRetry)
            case .rejected: return .refused(error.description, optedOut: error.isOptedOut)
            case .rateLimited(let after): return .notSent(error.description, retryAfter: after)
            case .unavailable, .timedOut: return .unknown(error.description)
            }
        }
    }

    public func callWebhook(_ url: URL, payload: Data) async -> SendOutcome {
        do {
            let answer = try await registry.makeWebhooks.call(url, json: payload, timeout: .seconds(30))
            return (200..<300).contains(answer.status)
                ? .sent(providerMessageID: "HTTP \(answer.status)") : .refused("HTTP \(answer.status)", optedOut: false)
        } catch {
            switch error {
            case .rateLimited: return .notSent(error.description, retryAfter: 60)
            case .unavailable, .timedOut: return .unknown(error.description)
            default: return .refused(error.description, optedOut: false)
            }
        }
    }
}
