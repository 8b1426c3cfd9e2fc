import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Twilio Messages client against the sandbox over real HTTP.
@Suite struct TwilioClientTests {
    func client(_ root: URL, token: String = SandboxOptions.twilioAuthToken) -> TwilioClient {
        TwilioClient(
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 }),
            endpoint: TwilioClient.endpoint(
                accountSID: SandboxOptions.twilioAccountSID, authToken: token, baseURL: root, limiter: nil),
            accountSID: SandboxOptions.twilioAccountSID)
    }

    var options: SandboxOptions {
        var options = SandboxOptions()
        options.people = 10
        return options
    }

    @Test func theAccountIsReadWithoutItsToken() async throws {
        try await withLiveSandbox(options) { root, _ in
            let account = try await client(root).account()
            #expect(account.sid == SandboxOptions.twilioAccountSID)
            #expect(account.status == "active" && account.type == "Full")
            #expect(!String(describing: account).contains(SandboxOptions.twilioAuthToken))
            await #expect(throws: TwilioError.unauthorized("Authenticate")) {
                try await client(root, token: "wrong").account()
            }
        }
    }

    @Test func aMessageIsQueuedAndItsErrorsAreTwilios() async throws {
        try await withLiveSandbox(options) { root, _ in
            let twilio = client(root)
            let message = try await twilio.send(
                to: "+14155550100", from: SandboxOptions.twilioFromNumber, body: "Hi Ada, quick question & more",
                statusCallback: URL(string: "https://leadgen.example/webhooks/twilio/status"))
            #expect(message.sid.hasPrefix("SM") && message.sid.count == 34)
            #expect(message.status == "queued")
            #expect(message.numSegments == "1")
            let messages = try #require(try await sandboxLedger(root, "twilio")["messages"] as? [[String: Any]])
            #expect(messages.first?["body"] as? String == "Hi Ada, quick question & more", "the form is encoded")

            await #expect(
                throws: TwilioError.rejected(
                    status: 400, code: 21211, message: "The 'To' number 5551234567 is not a valid phone number.")
            ) {
                try await twilio.send(
                    to: "5551234567", from: SandboxOptions.twilioFromNumber, body: "x", statusCallback: nil)
            }
            await #expect(throws: TwilioError.unauthorized("Authenticate")) {
                try await client(root, token: "wrong").send(
                    to: "+14155550100", from: SandboxOptions.twilioFromNumber, body: "x", statusCallback: nil)
            }

            var request = URLRequest(url: root.appendingPathComponent("__sandbox/twilio/stop"))
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"number": "+14155550100"}"#.utf8)
            _ = try await URLSession.shared.data(for: request)
            do {
                _ = try await twilio.send(
                    to: "+14155550100", from: SandboxOptions.twilioFromNumber, body: "again", statusCallback: nil)
                Issue.record("a recipient who replied STOP cannot be sent to")
            } catch let error as TwilioError {
                #expect(error.isOptedOut)
            }
        }
    }
}
