import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The Slack incoming-webhook client against the sandbox over real HTTP.
@Suite struct SlackWebhookClientTests {
    func client(_ root: URL, path: String = SandboxOptions.slackWebhookPath) -> SlackWebhookClient {
        SlackWebhookClient(
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 }),
            endpoint: SlackWebhookClient.endpoint(
                webhookURL: root.appendingPathComponent(String(path.dropFirst())), limiter: nil))
    }

    @Test func aMessageIsPostedOnceAndErrorsAreTyped() async throws {
        var options = SandboxOptions()
        options.people = 10
        try await withLiveSandbox(options) { root, _ in
            try await client(root).post(text: "Hot lead: Ada", blocks: Data(#"[{"type":"divider"}]"#.utf8))
            let ledger = try await sandboxLedger(root, "slack")
            let messages = try #require(ledger["messages"] as? [[String: Any]])
            #expect(messages.count == 1)
            #expect(messages.first?["text"] as? String == "Hot lead: Ada")
            #expect((messages.first?["blocks"] as? [Any])?.count == 1)

            await #expect(throws: SlackError.rejected(status: 400, code: "no_text")) {
                try await client(root).post(text: "")
            }
            let unknown = client(root, path: "/services/T0/B0/revoked")
            do {
                try await unknown.post(text: "hello")
                Issue.record("a revoked webhook cannot post")
            } catch let error as SlackError {
                #expect(error == .rejected(status: 404, code: "no_service"))
                #expect(error.isPermanent)
            }
        }
    }

    @Test func aRateLimitedWebhookSays429AfterItsAttempts() async throws {
        var options = SandboxOptions()
        options.people = 10
        options.rateLimitScale = 0.2  // one message per five seconds
        try await withLiveSandbox(options) { root, _ in
            let slack = client(root)
            // Three posts at once: however the five-second windows fall, two share one, so one is refused.
            var posted = 0
            var refusal: SlackError?
            for n in 0..<3 {
                do {
                    try await slack.post(text: "message \(n)")
                    posted += 1
                } catch let error as SlackError {
                    refusal = error
                    break
                }
            }
            guard case .rateLimited(let retryAfter)? = refusal else {
                Issue.record("expected a 429, got \(String(describing: refusal))")
                return
            }
            #expect((retryAfter ?? 0) >= 1)
            let messages = try #require(try await sandboxLedger(root, "slack")["messages"] as? [[String: Any]])
            #expect(messages.count == posted, "a refused message is not posted")
        }
    }
}
