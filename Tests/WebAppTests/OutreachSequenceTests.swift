import App
import Foundation
import LeadgenCore
import Outreach
import Sandbox
import Storage
import TestSupport
import Testing

@testable import WebApp

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole outreach loop against the live sandbox: an e-mail → wait → condition → SMS sequence for leads
/// in London, New York and Tokyo, sent only inside each lead's window; the vendors' signed events come back
/// to the webhooks; the lead that replies and the one that unsubscribes stop; the statistics match what the
/// sandbox delivered.
@Suite struct OutreachSequenceTests {
    nonisolated(unsafe) static let definition: [String: Any] = [
        "name": "Done when",
        "window": ["days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"],
        "steps": [
            [
                "id": "intro", "type": "email",
                "variants": [
                    ["name": "A", "subject": "Quick question, {{first_name}}", "body": "Hi {{first_name}}"],
                    ["name": "B", "subject": "{{first_name}}, a thought", "body": "Hello {{first_name}}"],
                ],
            ],
            ["type": "wait", "days": 2],
            ["type": "condition", "if": "opened", "then": "text", "else": "bump"],
            ["id": "bump", "type": "email", "subject": "Following up", "body": "Hi again {{first_name}}"],
            ["type": "wait", "days": 1],
            ["id": "text", "type": "sms", "body": "Hi {{first_name}}, a quick text from Rita."],
        ],
    ]

    /// Monday 30 November 2026, 14:00 UTC: 14:00 in London, 09:00 in New York, 23:00 in Tokyo.
    static let monday = ISO8601DateFormatter().date(from: "2026-11-30T14:00:00Z")!

    nonisolated(unsafe) static let leads: [(key: String, body: [String: Any])] = [
        (
            "ada",
            [
                "first_name": "Ada", "email": "ada@alpha.example", "phones": ["+447700900001"],
                "time_zone": "Europe/London",
            ]
        ),
        (
            "ben",
            [
                "first_name": "Ben", "email": "ben@beta.example", "phones": ["+12125550102"], "country": "US",
                "state": "NY",
            ]
        ),
        ("chie", ["first_name": "Chie", "email": "chie@gamma.example", "phones": ["+81312345678"], "country": "JP"]),
        (
            "dan",
            [
                "first_name": "Dan", "email": "dan@delta.example", "phones": ["+447700900004"],
                "time_zone": "Europe/London",
            ]
        ),
        (
            "bounce",
            [
                "first_name": "Bo", "email": "bounce@epsilon.example", "phones": ["+447700900005"],
                "time_zone": "Europe/London",
            ]
        ),
    ]

    @Test(arguments: TestDatabases.kinds)
    func aSequenceRunsInWindowsStopsOnReplyAndUnsubscribeAndCountsWhatWasDelivered(_ kind: SQLDialectKind)
        async throws
    {
        try await OutreachLiveHarness.run(kind, start: Self.monday) { h in try await Self.exercise(h) }
    }

    /// The same Mondays years before and after: nothing in the application reads the machine's clock, so
    /// the outcome depends on the injected clock alone (as if the machine's clock were years off).
    @Test(arguments: ["2019-12-02T14:00:00Z", "2045-12-04T14:00:00Z"])
    func theSameSequenceRunsTheSameYearsBeforeAndAfter(_ start: String) async throws {
        let monday = try #require(ISO8601DateFormatter().date(from: start))
        try await OutreachLiveHarness.run(.sqlite, start: monday) { h in try await Self.exercise(h) }
    }

    /// Enrols the five leads and follows them through three days of windows, replies, opens, an unsubscribe
    /// and a bounce, from a Monday 14:00 UTC.
    static func exercise(_ h: OutreachLiveHarness) async throws {
        let (senderStatus, _) = try await h.api(
            "POST", "api/v1/senders",
            json: [
                "channel": "email", "provider": "sendgrid", "address": "rita@leadgen-sales.example",
                "name": "Rita Rep", "physical_address": "1 Main St, Springfield, IL 62701",
            ])
        #expect(senderStatus == 201)
        var ids: [String: String] = [:]
        for (key, body) in Self.leads {
            let (status, lead) = try await h.api("POST", "api/v1/leads", json: body)
            #expect(status == 201)
            ids[key] = try #require((lead as? [String: Any])?["id"] as? String)
        }
        let (created, sequence) = try await h.api("POST", "api/v1/sequences", json: Self.definition)
        #expect(created == 201)
        let sequenceID = try #require((sequence as? [String: Any])?["id"] as? String)
        let (_, receipt) = try await h.api(
            "POST", "api/v1/sequences/\(sequenceID)/enroll", json: ["lead_ids": Array(ids.values)])
        #expect((receipt as? [String: Any])?["enrolled"] as? Int == 5)

        // Monday 14:00 UTC: London and New York are inside their window, Tokyo (23:00) is not.
        try await h.dispatch()
        var mails = try await sandboxMails(h)
        #expect(
            Set(mails.map(\.to)) == [
                "ada@alpha.example", "ben@beta.example", "dan@delta.example", "bounce@epsilon.example",
            ])
        let ada = try #require(mails.first { $0.to == "ada@alpha.example" })
        #expect(ada.text.contains("1 Main St, Springfield, IL 62701"), "the sender's postal address")
        #expect(ada.text.contains("Unsubscribe: \(h.appURL.absoluteString)/u/"))
        #expect(ada.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(ada.headers["List-Unsubscribe"]?.hasPrefix("<\(h.appURL.absoluteString)/u/") == true)
        #expect(try await status(h, sequenceID, ids["bounce"]!) == "bounced", "the sandbox bounced it")

        // Ada opens; Dan answers by e-mail, forwarded by a Mailgun route.
        #expect(try await h.control("sendgrid/events", json: ["to": "ada@alpha.example", "event": "open"]) == 204)
        #expect(
            try await h.control("mailgun/reply", json: ["from": "dan@delta.example", "text": "Interested!"]) == 204)
        await h.sandbox.settleCallbacks()
        #expect(try await status(h, sequenceID, ids["dan"]!) == "replied")
        let dan = try await h.root.stores.leads.get(LeadID(rawValue: ids["dan"]!), in: h.workspace)
        #expect(dan?.status == .replied)

        // Tuesday 00:30 UTC = 09:30 in Tokyo: Chie's turn; nobody else is due.
        h.clock.advance(by: 10.5 * 3600)
        try await h.dispatch()
        mails = try await sandboxMails(h)
        #expect(mails.count == 5)
        let chie = try #require(mails.first { $0.to == "chie@gamma.example" })
        // Chie unsubscribes with the one-click link (RFC 8058 POST).
        let link = try #require(
            chie.headers["List-Unsubscribe"]?.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
        var unsubscribe = URLRequest(url: URL(string: link)!)
        unsubscribe.httpMethod = "POST"
        unsubscribe.httpBody = Data("List-Unsubscribe=One-Click".utf8)
        unsubscribe.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let (_, unsubscribed) = try await URLSession.shared.data(for: unsubscribe)
        #expect((unsubscribed as! HTTPURLResponse).statusCode == 200)
        #expect(try await status(h, sequenceID, ids["chie"]!) == "unsubscribed")

        // Wednesday 14:05 UTC: the two-day wait is over. Ada opened: SMS. Ben did not: the bump e-mail.
        h.clock.advance(by: 37.5 * 3600 + 300)
        try await h.dispatch()
        mails = try await sandboxMails(h)
        #expect(mails.count == 6)
        #expect(mails.last?.to == "ben@beta.example" && mails.last?.subject == "Following up")
        var texts = try await sandboxTexts(h)
        #expect(texts.map(\.to) == ["+447700900001"])
        #expect(texts.first?.body.hasPrefix("Hi Ada, a quick text from Rita.\nReply STOP to opt out.") == true)
        #expect(try await status(h, sequenceID, ids["ada"]!) == "finished")

        // Thursday 14:10 UTC: Ben's one-day wait is over: his SMS.
        h.clock.advance(by: 86400 + 300)
        try await h.dispatch()
        texts = try await sandboxTexts(h)
        #expect(texts.map(\.to) == ["+447700900001", "+12125550102"])
        #expect(try await status(h, sequenceID, ids["ben"]!) == "finished")
        #expect(try await sandboxMails(h).count == 6, "nobody got anything twice or after stopping")

        // Every message went inside its lead's window, in the lead's own time zone.
        let sent = try await h.root.stores.messages.list(
            sequence: sequenceID, in: h.workspace)
        for message in sent {
            let lead = try #require(try await h.root.stores.leads.get(message.leadID, in: h.workspace))
            let zone = LeadTimeZone.resolve(lead.fields, workspace: TimeZone(identifier: "UTC")!).zone
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.hour, .weekday], from: message.createdAt)
            #expect((9..<17).contains(parts.hour!), "\(message.recipient) at \(parts.hour!):00 local")
            #expect((2...6).contains(parts.weekday!), "a weekday")
        }

        // The statistics match what the sandbox delivered.
        let (_, statsBody) = try await h.api("GET", "api/v1/sequences/\(sequenceID)/stats")
        let stats = try #require(statsBody as? [String: Any])
        let enrollments = try #require(stats["enrollments"] as? [String: Int])
        #expect(enrollments["finished"] == 2 && enrollments["replied"] == 1)
        #expect(enrollments["unsubscribed"] == 1 && enrollments["bounced"] == 1 && enrollments["active"] == 0)
        let steps = try #require(stats["steps"] as? [[String: Any]])
        func total(_ step: String, _ figure: String) -> Int {
            steps.filter { $0["step_id"] as? String == step }.reduce(0) { $0 + ($1[figure] as? Int ?? 0) }
        }
        #expect(total("intro", "sent") == mails.filter { $0.subject != "Following up" }.count)
        #expect(total("intro", "sent") == 5 && total("intro", "delivered") == 4 && total("intro", "bounced") == 1)
        #expect(total("intro", "opened") == 1 && total("intro", "replied") == 1)
        #expect(total("intro", "unsubscribed") == 1)
        #expect(
            Set(steps.filter { $0["step_id"] as? String == "intro" }.compactMap { $0["variant"] as? String })
                .isSubset(of: ["A", "B"]))
        #expect(total("bump", "sent") == 1 && total("bump", "delivered") == 1)
        #expect(total("text", "sent") == texts.count && total("text", "delivered") == 2)
        #expect(steps.reduce(0) { $0 + ($1["unknown"] as? Int ?? 0) } == 0)
    }

    struct Mail {
        var to, subject, text: String
        var headers: [String: String]
    }

    struct Text {
        var to, body: String
    }

    static func sandboxMails(_ h: OutreachLiveHarness) async throws -> [Mail] {
        let ledger = try await sandboxLedger(h.sandboxURL, "sendgrid")
        return (ledger["deliveries"] as? [[String: Any]] ?? []).map {
            Mail(
                to: $0["to"] as? String ?? "", subject: $0["subject"] as? String ?? "",
                text: $0["text"] as? String ?? "",
                headers: $0["headers"] as? [String: String] ?? [:])
        }
    }

    static func sandboxTexts(_ h: OutreachLiveHarness) async throws -> [Text] {
        let ledger = try await sandboxLedger(h.sandboxURL, "twilio")
        return (ledger["messages"] as? [[String: Any]] ?? []).map {
            Text(to: $0["to"] as? String ?? "", body: $0["body"] as? String ?? "")
        }
    }

    static func status(_ h: OutreachLiveHarness, _ sequence: String, _ lead: String) async throws -> String? {
        let (_, body) = try await h.api("GET", "api/v1/sequences/\(sequence)/enrollments")
        let list = (body as? [String: Any])?["data"] as? [[String: Any]] ?? []
        return list.first { $0["lead_id"] as? String == lead }?["status"] as? String
    }
}
