import LeadgenCore
import NIOCore
import Sandbox
import Testing

@testable import Providers

/// Verification with the SMTP probe on, against the sandbox's DNS server and mail exchanger: every
/// behaviour's outcome and reason, greylisting then acceptance, and the outbound policy.
@Suite struct MailboxProbingTests {
    @Test func eachBehaviourGivesItsOutcome() async throws {
        let dns = try await DNSFake.start()
        let smtp = try await SMTPFake.start()
        do {
            let client = DNSClient(
                server: DNSServerAddress("127.0.0.1:\(dns.port)"), timeout: .seconds(10), nextID: { 9 })
            let probe = SMTPProbe(
                options: .init(
                    heloName: "probe.leadgen.example", mailFrom: "probe@leadgen.example", port: smtp.port,
                    perExchangerPerSecond: 100, backOff: 0),
                madeUpLocalPart: { "no-one-x7q2" })
            let verifier = EmailVerifier(client: client, probing: MailboxProbing(probe: probe, allowed: { _ in true }))
            let cases: [(String, EmailVerification.Outcome, String)] = [
                ("ada@deliverable.example", .deliverable, "the mail server accepts the mailbox"),
                ("zed@deliverable.example", .undeliverable, "the mail server refuses the mailbox: 550 5.1.1"),
                ("anyone@catchall.example", .risky, "catch-all: the mail server accepts any address at the domain"),
                ("ada@greylist.example", .unknown, "greylisted or busy, try again later: 451 4.7.1"),
                ("ada@greylist.example", .deliverable, "the mail server accepts the mailbox"),
                ("ada@full.example", .risky, "the mailbox is full: 552 5.2.2"),
                ("ada@policy.example", .unknown, "the mail server refused the probe: 550 5.7.1"),
                ("grace@implicit-mx.example", .deliverable, "the mail server accepts the mailbox"),
                ("sales@deliverable.example", .risky, "a role account"),
            ]
            for (address, outcome, reason) in cases {
                let result = await verifier.verify(address)
                #expect(result.outcome == outcome, "\(address): \(result.reason)")
                #expect(result.reason.hasPrefix(reason), "\(address): \(result.reason)")
            }
            #expect(smtp.dataCommands == 0)

            let guarded = EmailVerifier(
                client: client, probing: MailboxProbing(probe: probe, allowed: { $0 != "127.0.0.1" }))
            let refused = await guarded.verify("ada@deliverable.example")
            #expect(refused.outcome == .unknown)
            #expect(
                refused.reason
                    == "the mail exchanger mx1.deliverable.example is at 127.0.0.1, which the outbound policy does not allow"
            )
        } catch {
            await dns.stop()
            await smtp.stop()
            throw error
        }
        await dns.stop()
        await smtp.stop()
    }
}
