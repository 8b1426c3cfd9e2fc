import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// Mailgun: the signed webhooks (docs/reference/messaging.md §2.2–2.3) and routes forwarding replies.
extension MessagingWebhooksController {
    @Sendable func mailgun(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let mailgunKey else { throw Self.notConfigured("Mailgun", "MAILGUN_WEBHOOK_SIGNING_KEY") }
        let data = try await body(request)
        guard let object = (try? JSON.parse(data))?.objectValue else {
            throw Problem.badRequest("the body is not Mailgun's JSON {\"signature\": …, \"event-data\": …}")
        }
        let signature = object["signature"]
        let token = signature?["token"]?.stringValue
        do {
            try MailgunWebhookSignature.verify(
                signingKey: mailgunKey,
                timestamp: signature?["timestamp"]?.stringValue ?? signature?["timestamp"]?.intValue.map(String.init),
                token: token, signature: signature?["signature"]?.stringValue, now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        guard let event = object["event-data"], event.objectValue != nil, let key = event["id"]?.stringValue,
            let type = event["event"]?.stringValue
        else { throw Problem.badRequest("event-data needs an id and an event") }
        let variables = event["user-variables"]
        let workspace = try await workspace(named: variables?["leadgen_workspace_id"]?.stringValue)
        // A signature covers only the timestamp and token, so a token is accepted for one event only.
        if let token, try await webhooks.hasDelivery(provider: "mailgun-token", key: token),
            try await !webhooks.hasDelivery(provider: "mailgun-event", key: key)
        {
            throw Self.unauthorized("this signature's token was used already")
        }
        let kind = Self.mailgunKind(type, event)
        let recipient = event["recipient"]?.stringValue
        let providerMessageID = event["message"]?["headers"]?["message-id"]?.stringValue
        let occurred = event["timestamp"]?.numberValue.map(Date.init(timeIntervalSince1970:)) ?? now()
        let new = try await intake.email(
            MessageEvent(
                provider: "mailgun", eventKey: key, kind: kind, recipient: recipient,
                providerMessageID: providerMessageID, payload: Self.json(event), occurredAt: occurred),
            about: .init(
                messageID: variables?["leadgen_message_id"]?.stringValue, provider: "mailgun",
                providerMessageID: providerMessageID),
            in: workspace)
        if let token { _ = try await webhooks.recordDelivery(provider: "mailgun-token", key: token) }
        _ = try await webhooks.recordDelivery(provider: "mailgun-event", key: key)
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// An e-mail reply forwarded by a Mailgun route (`forward("…/webhooks/mailgun/inbound")`): a form with the
    /// message (`sender`, `In-Reply-To`, `stripped-text`…) and the same `timestamp`, `token` and `signature`
    /// as Mailgun's webhooks — URL-encoded, or multipart/form-data when the message has attachments (their
    /// parts are skipped). The reply is matched to the message it answers by `In-Reply-To`, else to the
    /// latest message sent to its sender.
    @Sendable func mailgunInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let mailgunKey else { throw Self.notConfigured("Mailgun", "MAILGUN_WEBHOOK_SIGNING_KEY") }
        let fields: [String: String] =
            request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
            ? try await MultipartFields.read(request, limit: maxBody)
            : Dictionary(Self.form(try await body(request)), uniquingKeysWith: { first, _ in first })
        do {
            try MailgunWebhookSignature.verify(
                signingKey: mailgunKey, timestamp: fields["timestamp"], token: fields["token"],
                signature: fields["signature"], now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        if let token = fields["token"], try await !webhooks.recordDelivery(provider: "mailgun-token", key: token) {
            throw Self.unauthorized("this signature's token was used already")
        }
        guard let sender = fields["sender"] ?? fields["from"], let key = fields["Message-Id"] ?? fields["token"] else {
            throw Problem.badRequest("a forwarded message needs sender and Message-Id")
        }
        let address = Self.address(sender)
        let workspace = try await workspace(named: nil)
        let inReplyTo = fields["In-Reply-To"].map(Self.bare)
        let new = try await intake.email(
            MessageEvent(
                provider: "mailgun", eventKey: "inbound:" + key, kind: "replied", recipient: address,
                providerMessageID: inReplyTo, payload: Self.json(fields), occurredAt: now()),
            about: .init(provider: "mailgun", providerMessageID: inReplyTo, from: address, channel: "email"),
            in: workspace)
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// The address in `Name <address>`.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return text.trimmingCharacters(in: .whitespaces).lowercased()
        }
        return String(text[text.index(after: open)..<close]).lowercased()
    }

    static func bare(_ id: String) -> String { id.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) }

    static func mailgunKind(_ type: String, _ event: JSON) -> String {
        switch type {
        case "failed": event["severity"]?.stringValue == "permanent" ? "bounced" : "deferred"
        case "complained": "spam_report"
        default: type
        }
    }
}
