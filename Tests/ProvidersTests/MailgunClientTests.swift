import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The Mailgun client against the sandbox over real HTTP.
@Suite struct MailgunClientTests {
    func client(_ root: URL, key: String = SandboxOptions.mailgunAPIKey, domain: String = SandboxOptions.mailgunDomain)
        -> MailgunClient
    {
        MailgunClient(
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 }),
            endpoint: MailgunClient.endpoint(apiKey: key, baseURL: root, limiter: nil), domain: domain)
    }

    var options: SandboxOptions {
        var options = SandboxOptions()
        options.people = 10
        return options
    }

    static let message = MailgunClient.Message(
        from: "Rep <rep@mg.sandbox.example>", to: ["ada@prospect.example"], subject: "Quick question",
        text: "Hi Ada, 100% real & short", tags: ["outreach"],
        headers: [
            ("List-Unsubscribe", "<https://u.example.com/u/TOKEN>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ], variables: [("lead_id", "L-123")])

    @Test func theSendingDomainIsReadWithItsState() async throws {
        try await withLiveSandbox(options) { root, _ in
            let domain = try await client(root).sendingDomain()
            #expect(domain == MailgunClient.Domain(name: SandboxOptions.mailgunDomain, state: "active"))
            await #expect(throws: MailgunError.unauthorized("Forbidden")) {
                try await client(root, key: "key-wrong").sendingDomain()
            }
            await #expect(throws: MailgunError.rejected(status: 404, message: "Domain not found")) {
                try await client(root, domain: "mg.other.example").sendingDomain()
            }
        }
    }

    @Test func aMessageIsQueuedWithItsHeadersAndVariables() async throws {
        try await withLiveSandbox(options) { root, _ in
            let id = try await client(root).send(Self.message)
            #expect(id.hasPrefix("<") && id.hasSuffix("@mg.sandbox.example>"))
            let messages = try #require(try await sandboxLedger(root, "mailgun")["messages"] as? [[String: Any]])
            #expect(messages.count == 1)
            #expect((messages.first?["user-variables"] as? [String: String])?["lead_id"] == "L-123")
            #expect(
                (messages.first?["headers"] as? [String: String])?["List-Unsubscribe-Post"]
                    == "List-Unsubscribe=One-Click")
        }
    }

    @Test func mailgunsErrorsAreTyped() async throws {
        try await withLiveSandbox(options) { root, _ in
            await #expect(throws: MailgunError.unauthorized("Forbidden")) {
                try await client(root, key: "key-wrong").send(Self.message)
            }
            await #expect(throws: MailgunError.rejected(status: 404, message: "Domain not found: other.example")) {
                try await client(root, domain: "other.example").send(Self.message)
            }
            var empty = Self.message
            empty.text = nil
            await #expect(
                throws: MailgunError.rejected(
                    status: 400, message: "Need at least one of 'text', 'html' or 'template' parameters specified")
            ) {
                try await client(root).send(empty)
            }
            let messages = try await sandboxLedger(root, "mailgun")["messages"] as? [Any]
            #expect(messages?.isEmpty == true)
        }
    }
}
