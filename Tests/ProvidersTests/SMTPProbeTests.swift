import LeadgenCore
import NIOCore
import Sandbox
import Testing

@testable import Providers

/// The SMTP probe against the sandbox's mail exchanger over real TCP: each behaviour's outcome, and never a
/// `DATA` command.
@Suite struct SMTPProbeTests {
    @Test func eachBehaviourGivesItsOutcome() async throws {
        let server = try await SMTPFake.start()
        do {
            let probe = SMTPProbe(
                options: .init(heloName: "probe.leadgen.example", mailFrom: "probe@leadgen.example", port: server.port),
                madeUpLocalPart: { "no-one-x7q2" })
            func outcome(_ address: String) async throws -> MailboxProbe {
                try await probe.probe(try EmailAddress(parsing: address), at: "127.0.0.1", host: "mx.test")
            }
            #expect(try await outcome("ada@deliverable.example") == .accepted)
            guard case .rejected(let unknown) = try await outcome("zed@deliverable.example") else {
                Issue.record("an unknown user is rejected")
                return
            }
            #expect(unknown.enhancedStatus == "5.1.1")
            #expect(try await outcome("anyone@catchall.example") == .catchAll)
            guard case .temporary(let grey) = try await outcome("ada@greylist.example") else {
                Issue.record("the first try is greylisted")
                return
            }
            #expect(grey.code == 451)
            #expect(try await outcome("ada@greylist.example") == .accepted, "accepted when tried again")
            guard case .full = try await outcome("ada@full.example") else {
                Issue.record("a full mailbox")
                return
            }
            guard case .refusedProbe = try await outcome("ada@policy.example") else {
                Issue.record("a policy refusal is about the probe")
                return
            }
            #expect(server.dataCommands == 0, "a probe never sends DATA")
            #expect(server.conversations == 7)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func aServerThatIsNotThereOrSilentFails() async throws {
        let probe = SMTPProbe(
            options: .init(heloName: "p.example", mailFrom: "p@p.example", port: 1, timeout: .milliseconds(500)),
            madeUpLocalPart: { "x" })
        await #expect(throws: (any Error).self) {
            try await probe.probe(try EmailAddress(parsing: "a@b.example"), at: "127.0.0.1", host: "mx.test")
        }
    }
}
