import App
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Pipeline
import Providers
import Storage
import TestSupport
import Testing

@testable import WebApp

/// SendGrid, Mailgun and Twilio webhooks: forged or stale signatures are refused with 401, each event is kept
/// once, and opt-outs reach the suppression list with an audit trail.
@Suite struct MessagingWebhooksTests {
    static let publicURL = URL(string: "https://leadgen.example")!
    static let mailgunKey = "mailgun-signing-key"
    static let twilioToken = "twilio-auth-token"
    static let inboundToken = "inbound-parse-secret"

    struct Harness {
        let client: any TestClientProtocol
        let root: AppRoot
        /// The raw private key SendGrid signs with (a P-256 key is not Sendable).
        let sendgridKeyData: Data
        let workspace: WorkspaceID

        var sendgridKey: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: sendgridKeyData) }

        func post(_ path: String, _ body: String, headers: HTTPFields) async throws -> TestResponse {
            try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        }

        var suppressions: SuppressionStore {
            root.stores.suppressions
        }
        var events: MessageEventStore { root.stores.messageEvents }
    }

    func withHarness(_ kind: SQLDialectKind, _ body: @Sendable (Harness) async throws -> Void) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let key = P256.Signing.PrivateKey()
            let keyData = key.rawRepresentation
            var providers = ProviderSettings()
            providers.sendgridWebhookPublicKey = key.publicKey.derRepresentation.base64EncodedString()
            providers.mailgunWebhookSigningKey = Self.mailgunKey
            providers.twilioAuthToken = Self.twilioToken
            providers.sendgridInboundParseToken = Self.inboundToken
            let root = AppRoot.testing(database) {
                $0.providers = providers
                $0.publicURL = Self.publicURL
            }
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "default").id
            let app = Application(
                router: try await buildRouter(root, web: WebSettings(maxBodySize: 256 * 1024)),
                logger: TestDatabases.logger)
            try await app.test(.router) { client in
                try await body(
                    Harness(client: client, root: root, sendgridKeyData: keyData, workspace: workspace))
            }
        }
    }

    static var jsonHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return headers
    }

    // MARK: SendGrid

    @Test func inboundParseNeedsItsTokenAndKeepsEachReplyOnce() async throws {
        try await withHarness(.sqlite) { h in
            let boundary = "xYzZY"
            let body =
                [
                    (
                        "headers",
                        "From: Ada <ada@acme.example>\nMessage-ID: <reply-1@mail.acme.example>\nIn-Reply-To: <abc123@ismtpd-1>\n"
                    ),
                    ("from", "Ada <ada@acme.example>"), ("to", "rep@sales.example"), ("subject", "Re: hello"),
                    ("text", "Sounds good"),
                ].map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }
                .joined()
                + "--\(boundary)--\r\n"
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let forged = try await h.post("/webhooks/sendgrid/inbound?token=guess", body, headers: headers)
            #expect(forged.status == .unauthorized)
            let missing = try await h.post("/webhooks/sendgrid/inbound", body, headers: headers)
            #expect(missing.status == .unauthorized)
            let first = try await h.post(
                "/webhooks/sendgrid/inbound?token=\(Self.inboundToken)", body, headers: headers)
            #expect(first.status == .ok)
            let again = try await h.post(
                "/webhooks/sendgrid/inbound?token=\(Self.inboundToken)", body, headers: headers)
            #expect(String(buffer: again.body).contains(#""recorded":0"#))
            let logged = try await h.events.events(provider: "sendgrid", in: h.workspace)
            #expect(logged.map(\.kind) == ["replied"])
            #expect(logged.first?.recipient == "ada@acme.example")
            #expect(logged.first?.providerMessageID == "abc123@ismtpd-1")
            var plain = HTTPFields()
            plain[.contentType] = "application/json"
            let notMultipart = try await h.post(
                "/webhooks/sendgrid/inbound?token=\(Self.inboundToken)", "{}", headers: plain)
            #expect(notMultipart.status == .badRequest)
        }
    }

    static func sendgridHeaders(_ key: P256.Signing.PrivateKey, _ body: String, at time: Date = Date()) throws
        -> HTTPFields
    {
        let timestamp = String(Int(time.timeIntervalSince1970))
        let signature = try key.signature(for: Data((timestamp + body).utf8)).derRepresentation.base64EncodedString()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name(SendGridEventSignature.signatureHeader)!] = signature
        headers[HTTPField.Name(SendGridEventSignature.timestampHeader)!] = timestamp
        return headers
    }

    static let sendgridEvents = #"""
        [{"email":"ada@prospect.example","timestamp":1795815000,"event":"delivered","sg_event_id":"ev-1","sg_message_id":"abc123.filter0001"},
         {"email":"ada@prospect.example","timestamp":1795815060,"event":"unsubscribe","sg_event_id":"ev-2","sg_message_id":"abc123.filter0001"},
         {"email":"bob@bounce.example","timestamp":1795815070,"event":"bounce","type":"bounce","status":"5.0.0","sg_event_id":"ev-3"}]
        """#

    @Test(arguments: TestDatabases.kinds)
    func sendGridEventsAreKeptOnceAndOptOutsSuppressed(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            let headers = try Self.sendgridHeaders(h.sendgridKey, Self.sendgridEvents)
            let first = try await h.post("/webhooks/sendgrid/events", Self.sendgridEvents, headers: headers)
            #expect(first.status == .ok)
            #expect(String(buffer: first.body).contains("\"recorded\":3"))
            let again = try await h.post("/webhooks/sendgrid/events", Self.sendgridEvents, headers: headers)
            #expect(again.status == .ok)
            #expect(String(buffer: again.body).contains("\"recorded\":0"), "a repeated delivery changes nothing")
            #expect(
                try await h.events.events(provider: "sendgrid", in: h.workspace).map(\.kind) == [
                    "delivered", "unsubscribed", "bounced",
                ])
            #expect(try await h.suppressions.isSuppressed(email: "ADA@prospect.example", in: h.workspace))
            #expect(try await h.suppressions.isSuppressed(email: "bob@bounce.example", in: h.workspace))
            let trail = try await h.suppressions.history(.email, "ada@prospect.example", in: h.workspace)
            #expect(trail.map(\.reason) == ["unsubscribed"], "one audit entry, not one per delivery")
        }
    }

    @Test func forgedOrStaleSendGridDeliveriesAreRefused() async throws {
        try await withHarness(.sqlite) { h in
            let forger = P256.Signing.PrivateKey()
            let forged = try await h.post(
                "/webhooks/sendgrid/events", Self.sendgridEvents,
                headers: try Self.sendgridHeaders(forger, Self.sendgridEvents))
            #expect(forged.status == .unauthorized)
            let stale = try await h.post(
                "/webhooks/sendgrid/events", Self.sendgridEvents,
                headers: try Self.sendgridHeaders(
                    h.sendgridKey, Self.sendgridEvents, at: Date().addingTimeInterval(-3600)))
            #expect(stale.status == .unauthorized)
            let tampered = try await h.post(
                "/webhooks/sendgrid/events",
                Self.sendgridEvents.replacingOccurrences(of: "bounce.example", with: "x.example"),
                headers: try Self.sendgridHeaders(h.sendgridKey, Self.sendgridEvents))
            #expect(tampered.status == .unauthorized)
            let unsigned = Self.jsonHeaders
            let bare = try await h.post("/webhooks/sendgrid/events", Self.sendgridEvents, headers: unsigned)
            #expect(bare.status == .unauthorized)
            #expect(try await h.events.events(provider: "sendgrid", in: h.workspace).isEmpty)
        }
    }

    // MARK: Mailgun

    static func mailgunBody(id: String, event: String, token: String, at time: Date = Date(), key: String = mailgunKey)
        -> String
    {
        let timestamp = String(Int(time.timeIntervalSince1970))
        let signature = MailgunWebhookSignature.sign(signingKey: key, timestamp: timestamp, token: token)
        return #"""
            {"signature": {"timestamp": "\#(timestamp)", "token": "\#(token)", "signature": "\#(signature)"},
             "event-data": {"id": "\#(id)", "event": "\#(event)", "recipient": "carol@prospect.example",
                            "timestamp": 1795815000.5, "user-variables": {"lead_id": "L-1"},
                            "message": {"headers": {"message-id": "20261127.1@mg.example"}}}}
            """#
    }

    /// A reply with an attachment: Mailgun's route forwards it as multipart/form-data.
    @Test(arguments: TestDatabases.kinds)
    func aMailgunForwardWithAnAttachmentIsReadAsMultipart(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let token = String(repeating: "d", count: 50)
            let signature = MailgunWebhookSignature.sign(
                signingKey: Self.mailgunKey, timestamp: timestamp, token: token)
            var body = ""
            for (name, value) in [
                ("sender", "carol@prospect.example"), ("Message-Id", "<reply-7@prospect.example>"),
                ("In-Reply-To", "<20261127.1@mg.example>"), ("stripped-text", "Yes, let's talk"),
                ("timestamp", timestamp), ("token", token), ("signature", signature),
            ] {
                body += "--b0\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--b0\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"deck.pdf\"\r\n"
            body += "Content-Type: application/pdf\r\n\r\n%PDF-1.7 binary\r\n--b0--\r\n"
            let answer = try await h.post(
                "/webhooks/mailgun/inbound", body, headers: [.contentType: "multipart/form-data; boundary=b0"])
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            let replies = try await h.events.events(provider: "mailgun", in: h.workspace)
            #expect(replies.map(\.kind) == ["replied"])
            #expect(replies.first?.recipient == "carol@prospect.example")
        }
    }

    @Test func mailgunEventsAreVerifiedKeptOnceAndTheirTokensUsedOnce() async throws {
        try await withHarness(.sqlite) { h in
            let json = Self.jsonHeaders
            let complaint = Self.mailgunBody(id: "mg-1", event: "complained", token: String(repeating: "a", count: 50))
            let first = try await h.post("/webhooks/mailgun/events", complaint, headers: json)
            #expect(first.status == .ok)
            let retry = try await h.post("/webhooks/mailgun/events", complaint, headers: json)
            #expect(retry.status == .ok, "a retry")
            #expect(try await h.suppressions.isSuppressed(email: "carol@prospect.example", in: h.workspace))
            #expect(try await h.events.events(provider: "mailgun", in: h.workspace).map(\.kind) == ["spam_report"])

            let replayed = Self.mailgunBody(id: "mg-2", event: "delivered", token: String(repeating: "a", count: 50))
            let replay = try await h.post("/webhooks/mailgun/events", replayed, headers: json)
            #expect(replay.status == .unauthorized, "another event under a used token")
            let forged = Self.mailgunBody(
                id: "mg-3", event: "delivered", token: String(repeating: "b", count: 50), key: "wrong")
            let forgery = try await h.post("/webhooks/mailgun/events", forged, headers: json)
            #expect(forgery.status == .unauthorized)
            let stale = Self.mailgunBody(
                id: "mg-4", event: "delivered", token: String(repeating: "c", count: 50),
                at: Date().addingTimeInterval(-900))
            let late = try await h.post("/webhooks/mailgun/events", stale, headers: json)
            #expect(late.status == .unauthorized)
            #expect(try await h.events.events(provider: "mailgun", in: h.workspace).count == 1)
        }
    }

    // MARK: Twilio

    static func twilio(_ path: String, _ fields: [(String, String)], token: String = twilioToken) -> (
        String, HTTPFields
    ) {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&")
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[HTTPField.Name(TwilioSignature.header)!] = TwilioSignature.sign(
            authToken: token, url: publicURL.absoluteString + path, parameters: fields)
        return (body, headers)
    }

    @Test(arguments: TestDatabases.kinds)
    func smsStopAndStartChangeTheSuppressionListAndRepliesAreLogged(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            func inbound(_ sid: String, _ text: String) async throws -> TestResponse {
                let (body, headers) = Self.twilio(
                    "/webhooks/twilio/inbound",
                    [("MessageSid", sid), ("From", "+14155550100"), ("To", "+15005550006"), ("Body", text)])
                return try await h.post("/webhooks/twilio/inbound", body, headers: headers)
            }
            let stop = try await inbound("SM1", " stop ")
            #expect(stop.status == .ok)
            #expect(String(buffer: stop.body).contains("<Response />"))
            #expect(try await h.suppressions.isSuppressed(phone: "+14155550100", in: h.workspace))
            _ = try await inbound("SM1", " stop ")
            _ = try await inbound("SM2", "Stop please")
            #expect(try await h.suppressions.isSuppressed(phone: "+14155550100", in: h.workspace))
            _ = try await inbound("SM3", "START")
            #expect(try await !h.suppressions.isSuppressed(phone: "+14155550100", in: h.workspace))
            let trail = try await h.suppressions.history(.phone, "+14155550100", in: h.workspace)
            #expect(trail.map(\.action) == [.optOut, .optIn], "a repeated STOP is one entry; 'Stop please' is a reply")
            #expect(
                try await h.events.events(provider: "twilio", in: h.workspace).map(\.kind) == [
                    "sms_stop", "replied", "sms_start",
                ])

            let (status, statusHeaders) = Self.twilio(
                "/webhooks/twilio/status",
                [
                    ("MessageSid", "SM9"), ("MessageStatus", "undelivered"), ("ErrorCode", "21610"),
                    ("To", "+14155550111"),
                ])
            let callback = try await h.post("/webhooks/twilio/status", status, headers: statusHeaders)
            #expect(callback.status == .noContent)
            #expect(try await h.suppressions.isSuppressed(phone: "+14155550111", in: h.workspace))
        }
    }

    @Test func forgedTwilioRequestsAreRefused() async throws {
        try await withHarness(.sqlite) { h in
            let (body, headers) = Self.twilio(
                "/webhooks/twilio/inbound", [("MessageSid", "SM1"), ("From", "+14155550100"), ("Body", "STOP")],
                token: "not-the-token")
            let wrongToken = try await h.post("/webhooks/twilio/inbound", body, headers: headers)
            #expect(wrongToken.status == .unauthorized)
            let (signed, signedHeaders) = Self.twilio(
                "/webhooks/twilio/inbound", [("MessageSid", "SM1"), ("From", "+14155550100"), ("Body", "STOP")])
            let tampered = signed.replacingOccurrences(of: "4155550100", with: "4155550199")
            let changed = try await h.post("/webhooks/twilio/inbound", tampered, headers: signedHeaders)
            #expect(changed.status == .unauthorized)
            #expect(try await !h.suppressions.isSuppressed(phone: "+14155550100", in: h.workspace))
        }
    }
}
