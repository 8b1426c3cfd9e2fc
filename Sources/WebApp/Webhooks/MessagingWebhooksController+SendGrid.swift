import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// SendGrid: the signed event webhook (docs/reference/messaging.md §1.2–1.3) and Inbound Parse.
extension MessagingWebhooksController {
    @Sendable func sendgrid(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let sendgridKey else { throw Self.notConfigured("SendGrid", "SENDGRID_WEBHOOK_PUBLIC_KEY") }
        let data = try await body(request)
        do {
            try SendGridEventSignature.verify(
                publicKey: sendgridKey,
                signature: request.headers[values: .init(SendGridEventSignature.signatureHeader)!].first,
                timestamp: request.headers[values: .init(SendGridEventSignature.timestampHeader)!].first, body: data,
                now: now())
        } catch {
            throw Self.unauthorized(error.description)
        }
        guard let list = (try? JSON.parse(data))?.arrayValue, list.allSatisfy({ $0.objectValue != nil }) else {
            throw Problem.badRequest("the body is not a JSON array of SendGrid events")
        }
        var recorded = 0
        for event in list {
            guard let key = event["sg_event_id"]?.stringValue, let type = event["event"]?.stringValue else { continue }
            let email = event["email"]?.stringValue
            let kind = Self.sendgridKind(type, event)
            let workspace = try await workspace(named: event["leadgen_workspace_id"]?.stringValue)
            let message = event["sg_message_id"]?.stringValue.map { String($0.split(separator: ".").first ?? "") }
            let occurred = event["timestamp"]?.numberValue.map(Date.init(timeIntervalSince1970:)) ?? now()
            let reference = EngagementRecorder.Reference(
                messageID: event["leadgen_message_id"]?.stringValue, provider: "sendgrid", providerMessageID: message)
            let new = try await intake.email(
                MessageEvent(
                    provider: "sendgrid", eventKey: key, kind: kind, recipient: email, providerMessageID: message,
                    payload: Self.json(event), occurredAt: occurred), about: reference, in: workspace)
            if new { recorded += 1 }
        }
        return try JSONResponse.make(Receipt(received: list.count, recorded: recorded))
    }

    /// A reply posted by SendGrid's Inbound Parse: `multipart/form-data` with `from`, `to`, `subject`, `text`,
    /// `html` and `headers` (the raw header block). SendGrid signs nothing it parses, so the URL configured in
    /// SendGrid carries a secret, `?token=SENDGRID_INBOUND_PARSE_TOKEN`, compared in constant time. The reply
    /// is matched to the message its `In-Reply-To` names (SendGrid's Message-ID starts with the message's
    /// X-Message-Id — inferred from the smtp-id shape of docs/reference/messaging.md §1.2), else to the latest message
    /// sent to its sender.
    @Sendable func sendgridInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let sendgridInboundToken else {
            throw Self.notConfigured("SendGrid Inbound Parse", "SENDGRID_INBOUND_PARSE_TOKEN")
        }
        let given = request.uri.queryParameters["token"].map(String.init) ?? ""
        guard ConstantTime.equal(Array(given.utf8), Array(sendgridInboundToken.utf8)) else {
            throw Self.unauthorized("the Inbound Parse URL's token is wrong")
        }
        let fields = try await MultipartFields.read(request, limit: maxBody)
        guard let from = fields["from"], !from.isEmpty else {
            throw Problem.badRequest("a parsed e-mail needs a from field", field: "from")
        }
        let headers = Self.headerLines(fields["headers"] ?? "")
        let address = Self.address(from)
        let inReplyTo = headers["in-reply-to"].map(Self.bare)
        let key =
            headers["message-id"].map(Self.bare)
            ?? "\(address):\(fields["subject"] ?? ""):\(fields["text"]?.prefix(200) ?? "")"
        let workspace = try await workspace(named: nil)
        // SendGrid's Message-ID: <X-Message-Id@host>; the part before @ names the message.
        let messageID = inReplyTo.map { String($0.split(separator: "@").first ?? "") }
        let new = try await intake.email(
            MessageEvent(
                provider: "sendgrid", eventKey: "inbound:" + key, kind: "replied", recipient: address,
                providerMessageID: inReplyTo, payload: Self.json(fields.filter { $0.key != "html" }),
                occurredAt: now()),
            about: .init(provider: "sendgrid", providerMessageID: messageID, from: address, channel: "email"),
            in: workspace)
        return try JSONResponse.make(Receipt(received: 1, recorded: new ? 1 : 0))
    }

    /// A raw header block's headers, lower-cased names, folded lines joined.
    static func headerLines(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        var last: String?
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            if line.first == " " || line.first == "\t", let name = last {
                headers[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = name
        }
        return headers
    }

    /// SendGrid's event names as the engagement log says them.
    static func sendgridKind(_ type: String, _ event: JSON) -> String {
        switch type {
        case "bounce": event["type"]?.stringValue == "blocked" ? "blocked" : "bounced"
        case "open": "opened"
        case "click": "clicked"
        case "spamreport": "spam_report"
        case "unsubscribe", "group_unsubscribe": "unsubscribed"
        case "group_resubscribe": "resubscribed"
        case "dropped":
            switch event["reason"]?.stringValue {
            case "Unsubscribed Address": "dropped_unsubscribed"
            case "Bounced Address": "dropped_bounced"
            case "Spam Reporting Address": "dropped_spam_report"
            default: "dropped"
            }
        default: type
        }
    }
}
