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
        try await intake.smsStatus(
            MessageEvent(
                provider: "twilio", eventKey: "\(sid):\(status)", kind: status, recipient: fields["To"],
                providerMessageID: sid, payload: Self.json(fields), occurredAt: now()),
            errorCode: fields["ErrorCode"],
            about: .init(
                messageID: query["leadgen_message_id"].map(String.init), provider: "twilio", providerMessageID: sid,
                channel: "sms"),
            in: workspace)
        return Response(status: .noContent)
    }

    @Sendable func twilioInbound(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try verifyTwilio(request, try await body(request))
        let fields = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["MessageSid"], let from = fields["From"] else {
            throw Problem.badRequest("an inbound message needs MessageSid and From")
        }
        let word = (fields["Body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let kind = MessageEventIntake.smsKind(keyword: word, optOutType: fields["OptOutType"])
        let workspace = try await workspace(named: nil)
        try await intake.smsInbound(
            MessageEvent(
                provider: "twilio", eventKey: sid, kind: kind, recipient: from, providerMessageID: sid,
                payload: Self.json(fields), occurredAt: now()),
            keyword: word, in: workspace)
        return Response(
            status: .ok, headers: [.contentType: "text/xml"],
            body: .init(byteBuffer: ByteBuffer(string: #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)))
    }
}
