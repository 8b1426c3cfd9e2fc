import App
import Foundation
import LeadgenCore
import Sandbox
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Replies on another channel than the message they answer, and opt-outs by SMS, against the live sandbox.
@Suite struct OutreachReplyTests {
    nonisolated(unsafe) static let definition: [String: Any] = [
        "name": "Cross-channel",
        "window": ["days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "to": "24:00"],
        "steps": [
            ["id": "intro", "type": "email", "subject": "Hello {{first_name}}", "body": "Hi {{first_name}}"],
            ["type": "wait", "days": 1],
            ["id": "text", "type": "sms", "body": "Hi {{first_name}}, a quick text."],
        ],
    ]

    @Test(arguments: TestDatabases.kinds)
    func anSMSReplyToAnEmailStopsTheLeadAndStopSuppressesTheNumber(_ kind: SQLDialectKind) async throws {
        try await OutreachLiveHarness.run(kind, start: Date(timeIntervalSince1970: 1_800_000_000)) { h in
            _ = try await h.api(
                "POST", "api/v1/senders",
                json: [
                    "channel": "email", "address": "rep@sales.example", "name": "Rep", "physical_address": "1 Main St",
                ])
            var ids: [String] = []
            for (n, phone) in ["+14155550101", "+14155550102", "+14155550103"].enumerated() {
                let (_, lead) = try await h.api(
                    "POST", "api/v1/leads",
                    json: ["email": "p\(n)@acme\(n).example", "phones": [phone], "time_zone": "UTC"])
                ids.append(try #require((lead as? [String: Any])?["id"] as? String))
            }
            let (_, sequence) = try await h.api("POST", "api/v1/sequences", json: Self.definition)
            let id = try #require((sequence as? [String: Any])?["id"] as? String)
            _ = try await h.api("POST", "api/v1/sequences/\(id)/enroll", json: ["lead_ids": ids])
            try await h.dispatch()

            // The first answers the e-mail by SMS; the second texts STOP.
            #expect(try await h.control("twilio/inbound", json: ["from": "+14155550101", "body": "Call me"]) == 204)
            #expect(try await h.control("twilio/inbound", json: ["from": "+14155550102", "body": "stop"]) == 204)
            await h.sandbox.settleCallbacks()
            let (_, list) = try await h.api("GET", "api/v1/sequences/\(id)/enrollments")
            let statuses = Dictionary(
                uniqueKeysWithValues: ((list as? [String: Any])?["data"] as? [[String: Any]] ?? []).map {
                    ($0["lead_id"] as! String, $0["status"] as! String)
                })
            #expect(statuses == [ids[0]: "replied", ids[1]: "unsubscribed", ids[2]: "active"])
            #expect(
                try await h.root.stores.suppressions.isSuppressed(
                    phone: "+14155550102", in: h.workspace))

            h.clock.advance(by: 86400 + 60)
            try await h.dispatch()
            let texts = try await sandboxLedger(h.sandboxURL, "twilio")["messages"] as? [[String: Any]] ?? []
            #expect(texts.compactMap { $0["to"] as? String } == ["+14155550103"], "only the lead still going")
            let (_, stats) = try await h.api("GET", "api/v1/sequences/\(id)/stats")
            let steps = (stats as? [String: Any])?["steps"] as? [[String: Any]] ?? []
            let intro = steps.first { $0["step_id"] as? String == "intro" }
            #expect(intro?["replied"] as? Int == 1 && intro?["unsubscribed"] as? Int == 1)
        }
    }
}
