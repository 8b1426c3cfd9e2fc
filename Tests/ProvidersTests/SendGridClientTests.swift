import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The SendGrid Mail Send client against the sandbox over real HTTP.
@Suite struct SendGridClientTests {
    func client(_ root: URL, key: String = SandboxOptions.sendgridAPIKey) -> SendGridClient {
        SendGridClient(
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 }),
            endpoint: SendGridClient.endpoint(apiKey: key, baseURL: root, limiter: nil))
    }

    var options: SandboxOptions {
        var options = SandboxOptions()
        options.people = 10
        return options
    }

    static func mail(to: String = "ada@prospect.example") -> SendGridMail {
        SendGridMail(
            personalizations: [
                .init(
                    to: [.init(email: to, name: "Ada")], subject: "Quick question, Ada",
                    customArgs: ["lead_id": "L-123", "step": "1"],
                    headers: [
                        "List-Unsubscribe": "<https://u.example.com/u/TOKEN>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    ])
            ], from: .init(email: "rep@example.com", name: "Rep"), text: "Hi Ada", html: "<p>Hi Ada</p>")
    }

    @Test func theKeysScopesSayWhetherItMaySendAndSendNothing() async throws {
        try await withLiveSandbox(options) { root, _ in
            let scopes = try await client(root).scopes()
            #expect(scopes.contains("mail.send"))
            await #expect(
                throws: SendGridError.unauthorized("The provided authorization grant is invalid, expired, or revoked")
            ) { try await client(root, key: "SG.revoked").scopes() }
            let ledger = try await sandboxLedger(root, "sendgrid")
            #expect((ledger["deliveries"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test func aMailIsAcceptedWithAMessageIDAndRecordedOnce() async throws {
        try await withLiveSandbox(options) { root, _ in
            let id = try await client(root).send(Self.mail())
            #expect(!id.isEmpty)
            let ledger = try await sandboxLedger(root, "sendgrid")
            let deliveries = try #require(ledger["deliveries"] as? [[String: Any]])
            #expect(deliveries.count == 1)
            #expect(deliveries.first?["message_id"] as? String == id)
            #expect((deliveries.first?["custom_args"] as? [String: String])?["lead_id"] == "L-123")
            #expect(
                (deliveries.first?["headers"] as? [String: String])?["List-Unsubscribe-Post"]
                    == "List-Unsubscribe=One-Click")
            #expect(deliveries.first?["content_types"] as? [String] == ["text/plain", "text/html"])
        }
    }

    @Test func refusalsNameTheirFieldAndAreNotSent() async throws {
        try await withLiveSandbox(options) { root, _ in
            await #expect(
                throws: SendGridError.rejected(
                    status: 400,
                    errors: [
                        .init(message: "Does not contain a valid address.", field: "personalizations.0.to.0.email")
                    ])
            ) {
                try await client(root).send(Self.mail(to: "ada(at)prospect"))
            }
            do {
                _ = try await client(root, key: "SG.wrong").send(Self.mail())
                Issue.record("a wrong key cannot send")
            } catch let error as SendGridError {
                #expect(error == .unauthorized("The provided authorization grant is invalid, expired, or revoked"))
            }
            try await planSandboxFault(root, path: "/v3/mail/send", status: 500)
            await #expect(throws: SendGridError.unavailable("HTTP 500: internal error")) {
                try await client(root).send(Self.mail())
            }
            let ledger = try await sandboxLedger(root, "sendgrid")
            #expect((ledger["deliveries"] as? [Any])?.isEmpty == true)
            #expect(ledger["calls"] as? Int == 3, "a 500 is not sent again: the mail may have gone")
        }
    }
}
