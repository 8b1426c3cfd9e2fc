import LeadgenCore
import NIOCore
import Sandbox
import Testing

@testable import Providers

/// Verification as far as DNS goes, against the sandbox's DNS server over real UDP: each kind of domain
/// gives its outcome and reason.
@Suite struct EmailVerifierTests {
    /// A generous timeout (the tests run in parallel on busy machines) but for the silent server's case.
    func withVerifier(timeout: TimeAmount = .seconds(10), _ body: (EmailVerifier) async throws -> Void) async throws {
        var zone = DNSZone.sandbox
        zone.entries["mailinator.com"] = .init(mx: [(10, "mx.deliverable.example")])
        let server = try await DNSFake.start(zone: zone)
        let client = DNSClient(
            server: DNSServerAddress("127.0.0.1:\(server.port)"), timeout: timeout, attempts: 1, nextID: { 7 })
        do {
            try await body(EmailVerifier(client: client))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func eachKindOfDomainGetsItsOutcome() async throws {
        try await withVerifier { verifier in
            let cases: [(String, EmailVerification.Outcome, String, [String])] = [
                (
                    "Ada@Deliverable.example", .unknown, "the domain accepts mail; the mailbox was not probed",
                    ["mx1.deliverable.example", "mx2.deliverable.example"]
                ),
                (
                    "ada@implicit-mx.example", .unknown, "the domain accepts mail; the mailbox was not probed",
                    ["implicit-mx.example"]
                ),
                ("ada@nullmx.example", .undeliverable, "null MX: the domain says it accepts no mail (RFC 7505)", []),
                ("ada@no-mail.example", .undeliverable, "the domain has no MX and no address records", []),
                ("ada@nowhere.example", .undeliverable, "the domain does not exist", []),
                (
                    "sales@deliverable.example", .risky, "a role account, not a person's mailbox",
                    ["mx1.deliverable.example", "mx2.deliverable.example"]
                ),
                ("ada@mailinator.com", .risky, "a disposable-mail domain", ["mx.deliverable.example"]),
                ("jane(at)example.com", .undeliverable, "syntax: e-mail has no single @", []),
            ]
            for (address, outcome, reason, exchangers) in cases {
                let result = await verifier.verify(address)
                #expect(result.outcome == outcome, "\(address)")
                #expect(result.reason.hasPrefix(reason), "\(address): \(result.reason)")
                #expect(result.mailExchangers == exchangers, "\(address)")
            }
            let role = await verifier.verify("sales@deliverable.example")
            #expect(role.isRoleAccount && !role.isDisposable)
            let disposable = await verifier.verify("ada@mailinator.com")
            #expect(disposable.isDisposable && !disposable.isRoleAccount)
        }
    }

    @Test func aServerThatDoesNotAnswerGivesUnknown() async throws {
        try await withVerifier(timeout: .milliseconds(300)) { verifier in
            let result = await verifier.verify("ada@silent.example")
            #expect(result.outcome == .unknown)
            #expect(result.reason.hasPrefix("DNS: the DNS server 127.0.0.1:"), "\(result.reason)")
        }
    }

    @Test func mailExchangersAreOrderedByPreferenceThenName() {
        let response = DNSMessage.Response(
            id: 1, truncated: false, code: .noError,
            answers: [
                ("d.example", .mx(preference: 20, exchange: "b.example")),
                ("d.example", .mx(preference: 10, exchange: "z.example")),
                ("d.example", .mx(preference: 20, exchange: "a.example")),
                ("d.example", .mx(preference: 20, exchange: "a.example")),
                ("d.example", .cname("elsewhere.example")),
            ])
        #expect(MailDomain.fromMXAnswer(response) == .acceptsMail(exchangers: ["z.example", "a.example", "b.example"]))
        let failed = DNSMessage.Response(id: 1, truncated: false, code: .serverFailure, answers: [])
        #expect(
            MailDomain.fromMXAnswer(failed)
                == .lookupFailed(reason: "the DNS server failed to answer for the domain (SERVFAIL)"))
    }
}
