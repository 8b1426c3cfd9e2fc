import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// Twilio: status callbacks and inbound messages, signed with X-Twilio-Signature (docs/reference/messaging.md
/// §3.2–3.4).
extension MessagingWebhooksController {
    func verifyTwilio(_ request: Request, _ data: Data) throws -> [(String, String)] {
        guard let twilioToken else { throw Self.notConfigured("Twilio", "TWILIO_AUTH_TOKEN") }
        let parameters = Self.form(data)
        guard let signature = request.headers[values: .init(TwilioSignature.header)!].first,
            TwilioSignature.isValid(
                authToken: twilioToken, url: PublicRequestURL.of(request, publicURL: publicURL),
                parameters: parameters, signature: signature)
        else { throw Self.unauthorized("the X-Twilio-Signature does not match this request") }
        return parameters
    }

    @Sendable func twilioStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try verifyTwilio(request, try await body(request))
        let fields = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["MessageSid"], let status = fields["MessageStatus"] else {
            throw Problem.badRequest("a status callback needs MessageSid and MessageStatus")
        }
        // Our own callbacks carry the message and its workspace in the query (signed with the URL).
        let query = request.uri.queryParameters
        let workspace = try await workspace(named: query["leadgen_workspace_id"].map(String.init))
        let new = try await events.record(
            MessageEvent(
                provider: "twilio", eventKey: "\(sid):\(status)", kind: status, recipient: fields["To"],
                providerMessageID: sid, payload: Self.json(fields), occurredAt: now()), in: workspace)
        // 21610: the recipient had replied STOP, so Twilio refused the message.
        if new, fields["ErrorCode"] == "21610", let to = fields["To"] {
            try await suppressions.suppress(
                .phone, to, reason: "sms_stop", source: "twilio", detail: "error 21610", in: workspace)
        }
        if new {
            try await engagement.record(
                kind: status,
                .init(
                    messageID: query["leadgen_message_id"].map(String.init), provider: "twilio",
                    providerMessageID: sid, channel: "sms"), at: now(),
                event: ("twilio", "\(sid):\(status)"), in: workspace)
        }
        return Response(status: .noContent)
    }

    /// Twilio's default opt-out, opt-in and help keywords; the whole body, one word, any case.
    static let stopWords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    static let startWords: Set<String> = ["START", "YES", "UNSTOP"]
    static let helpWords: Set<String> = ["HELP", "INFO"]

    @Sendable func twilioInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try verifyTwilio(request, try await body(request))
        let fields = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["MessageSid"], let from = fields["From"] else {
            throw Problem.badRequest("an inbound message needs MessageSid and From")
        }
        let word = (fields["Body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let kind: String =
            switch fields["OptOutType"]?.uppercased() ?? word {
            case let w where Self.stopWords.contains(w) || w == "STOP": "sms_stop"
            case let w where Self.startWords.contains(w) || w == "START": "sms_start"
            case let w where Self.helpWords.contains(w) || w == "HELP": "sms_help"
            default: "replied"
            }
        let workspace = try await workspace(named: nil)
        let new = try await events.record(
            MessageEvent(
                provider: "twilio", eventKey: sid, kind: kind, recipient: from, providerMessageID: sid,
                payload: Self.json(fields), occurredAt: now()), in: workspace)
        if new {
            switch kind {
            case "sms_stop":
                try await suppressions.suppress(
                    .phone, from, reason: "sms_stop", source: "twilio", detail: word, in: workspace)
                try await engagement.record(
                    kind: "unsubscribed", .init(provider: "twilio", from: from, channel: "sms"), at: now(),
                    event: ("twilio", sid), in: workspace)
                try await engagement.suppressed(from, channel: "sms", reason: "sms_stop", in: workspace)
            case "replied":
                try await engagement.record(
                    kind: "replied", .init(provider: "twilio", from: from, channel: "sms"), at: now(),
                    event: ("twilio", sid), in: workspace)
            case "sms_start":
                try await suppressions.lift(
                    .phone, from, reason: "sms_start", source: "twilio", detail: word, in: workspace)
            default: break
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/xml"],
            body: .init(byteBuffer: ByteBuffer(string: #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)))
    }
}
