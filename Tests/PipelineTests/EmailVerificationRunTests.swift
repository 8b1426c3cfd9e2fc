import App
import Foundation
import LeadgenCore
import Pipeline
import Providers
import Sandbox
import Storage
import TestSupport
import Testing

/// `verify emails` underneath: leads' addresses verified against the sandbox's DNS server over real UDP, on
/// both databases; outcomes stored, reused while fresh, checked again when asked or when stale, exported.
@Suite struct EmailVerificationRunTests {
    static let addresses = [
        "ada@deliverable.example", "grace@implicit-mx.example", "alan@nullmx.example", "edsger@no-mail.example",
        "barbara@nowhere.example", "sales@deliverable.example", "ken@mailinator.com",
    ]

    @Test(arguments: TestDatabases.kinds)
    func outcomesAreStoredReusedAndExported(kind: SQLDialectKind) async throws {
        var zone = DNSZone.sandbox
        zone.entries["mailinator.com"] = .init(mx: [(10, "mx1.deliverable.example")])
        let server = try await DNSFake.start(zone: zone)
        do {
            try await check(kind, dnsPort: server.port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func check(_ kind: SQLDialectKind, dnsPort: Int) async throws {
        let clock = ManualClock()
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let root = AppRoot.testing(database, time: clock.source) {
                $0.dnsServer = DNSServerAddress("127.0.0.1:\(dnsPort)")
            }
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "default").id
            let items = try Self.addresses.enumerated().map { index, address in
                var fields = LeadFields()
                fields.firstName = "Person\(index)"
                fields.email = try EmailAddress(parsing: address)
                if index == 0 { fields.tags = ["first"] }
                return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))
            }
            _ = try await root.stores.ingestor.ingest(items, into: workspace)

            let first = try await root.emailVerification.run(in: workspace, selection: .init())
            #expect(first.checked == 7 && first.cached == 0)
            #expect(first.outcomes == [.unknown: 2, .undeliverable: 3, .risky: 2])
            let stored = try await root.stores.emailVerifications.find(Self.addresses, in: workspace)
            #expect(stored["alan@nullmx.example"]?.verification.outcome == .undeliverable)
            #expect(
                stored["alan@nullmx.example"]?.verification.reason
                    == "null MX: the domain says it accepts no mail (RFC 7505)")
            #expect(stored["barbara@nowhere.example"]?.verification.reason == "the domain does not exist")
            #expect(stored["sales@deliverable.example"]?.verification.isRoleAccount == true)
            #expect(stored["ken@mailinator.com"]?.verification.isDisposable == true)
            #expect(
                stored["ada@deliverable.example"]?.verification.mailExchangers == [
                    "mx1.deliverable.example", "mx2.deliverable.example",
                ])
            #expect(stored["ada@deliverable.example"]?.checkedAt == clock.now)

            // Fresh results are reused; unknown ones an hour, the others thirty days; a refresh checks again.
            clock.advance(by: 1_800)
            let second = try await root.emailVerification.run(in: workspace, selection: .init())
            #expect(second.checked == 0 && second.cached == 7 && second.outcomes == first.outcomes)
            clock.advance(by: 86_400)
            let third = try await root.emailVerification.run(in: workspace, selection: .init())
            #expect(third.checked == 2 && third.cached == 5 && third.outcomes == first.outcomes)
            let tagged = try await root.emailVerification.run(
                in: workspace, selection: .init(tag: "first", refresh: true))
            #expect(tagged.checked == 1 && tagged.cached == 0 && tagged.outcomes == [.unknown: 1])
            clock.advance(by: 30 * 86_400)
            let limited = try await root.emailVerification.run(in: workspace, selection: .init(limit: 3))
            #expect(limited.checked == 3 && limited.cached == 0)

            // The export carries the outcome and reason of each lead's e-mail.
            var query = LeadQuery()
            query.limit = 10
            let page = try await root.stores.leads.list(query, in: workspace)
            let lead = try #require(page.leads.first { $0.fields.email?.value == "alan@nullmx.example" })
            let verification = stored["alan@nullmx.example"]?.verification
            let row = Dictionary(
                uniqueKeysWithValues: zip(
                    LeadCSVRow.header, LeadCSVRow.fields(lead, company: nil, verification: verification)))
            #expect(row["email_verification"] == "undeliverable")
            #expect(row["email_verification_reason"] == "null MX: the domain says it accepts no mail (RFC 7505)")
        }
    }

    /// With the probe on, each behaviour of the issue gets its outcome through the whole run and is stored, on
    /// both databases: deliverable, unknown user, catch-all, greylisted then accepted on the next run after
    /// an hour, full mailbox, no MX, null MX, disposable and role; no DATA is ever sent.
    @Test(arguments: TestDatabases.kinds)
    func probedOutcomesAreStoredForEveryBehaviour(kind: SQLDialectKind) async throws {
        var zone = DNSZone.sandbox
        zone.entries["mailinator.com"] = .init(mx: [(10, "mx1.deliverable.example")])
        let dns = try await DNSFake.start(zone: zone)
        let smtp = try await SMTPFake.start()
        do {
            try await probe(kind, dnsPort: dns.port, smtp: smtp)
        } catch {
            await dns.stop()
            await smtp.stop()
            throw error
        }
        await dns.stop()
        await smtp.stop()
    }

    func probe(_ kind: SQLDialectKind, dnsPort: Int, smtp: SMTPFake) async throws {
        let clock = ManualClock()
        let expected: [(String, EmailVerification.Outcome, String)] = [
            ("ada@deliverable.example", .deliverable, "the mail server accepts the mailbox"),
            ("zed@deliverable.example", .undeliverable, "the mail server refuses the mailbox: 550 5.1.1"),
            ("anyone@catchall.example", .risky, "catch-all: the mail server accepts any address at the domain"),
            ("ada@greylist.example", .unknown, "greylisted or busy, try again later: 451 4.7.1"),
            ("ada@full.example", .risky, "the mailbox is full: 552 5.2.2"),
            ("edsger@no-mail.example", .undeliverable, ""),
            ("alan@nullmx.example", .undeliverable, "null MX: the domain says it accepts no mail (RFC 7505)"),
            ("ken@mailinator.com", .risky, ""),
            ("sales@deliverable.example", .risky, "a role account"),
        ]
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let root = AppRoot.testing(database, time: clock.source) {
                $0.dnsServer = DNSServerAddress("127.0.0.1:\(dnsPort)")
                $0.smtpProbe = .init(
                    heloName: "probe.leadgen.example", mailFrom: "probe@leadgen.example", port: smtp.port,
                    perExchangerPerSecond: 100, backOff: 0)
            }
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "default")
            #expect(try await root.probesMailboxes(of: workspace))
            // Another workspace probes once it turns the probe on itself.
            let other = try await root.stores.workspaces.findOrCreate(slug: "acme")
            #expect(try await !root.probesMailboxes(of: other))
            try await root.stores.workspaces.setProbesMailboxes(true, for: other.id)
            #expect(try await root.probesMailboxes(of: other))
            let unavailable = AppRoot.testing(database, time: clock.source)
            #expect(try await !unavailable.probesMailboxes(of: other), "not unless the operator made it available")
            let items = try expected.enumerated().map { index, entry in
                var fields = LeadFields()
                fields.firstName = "Person\(index)"
                fields.email = try EmailAddress(parsing: entry.0)
                return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))
            }
            _ = try await root.stores.ingestor.ingest(items, into: workspace.id)

            let first = try await root.emailVerification.run(in: workspace.id, selection: .init(probe: true))
            #expect(first.checked == expected.count)
            let stored = try await root.stores.emailVerifications.find(expected.map(\.0), in: workspace.id)
            for (address, outcome, reason) in expected {
                let verification = try #require(stored[address]?.verification, "\(address) is stored")
                #expect(verification.outcome == outcome, "\(address): \(verification.reason)")
                #expect(verification.reason.hasPrefix(reason), "\(address): \(verification.reason)")
            }
            #expect(stored["ken@mailinator.com"]?.verification.isDisposable == true)

            // Greylisting: the unknown outcome is kept an hour, then asked again, and the server now accepts.
            clock.advance(by: 2 * 3_600)
            let second = try await root.emailVerification.run(in: workspace.id, selection: .init(probe: true))
            #expect(second.checked >= 1)
            let greylisted = try await root.stores.emailVerifications.find(["ada@greylist.example"], in: workspace.id)
            #expect(greylisted["ada@greylist.example"]?.verification.outcome == .deliverable)
            #expect(smtp.dataCommands == 0, "a probe never sends mail")
        }
    }
}
