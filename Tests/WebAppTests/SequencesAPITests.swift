import App
import Foundation
import HTTPTypes
import HummingbirdTesting
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Sequences over the API: definitions checked with every problem by path, stored, paused and resumed, and
/// previewed for a lead with fallbacks.
@Suite struct SequencesAPITests {
    static let definition = #"""
        {"name": "Outbound Q4", "fallbacks": {"first_name": "friend"},
         "steps": [
           {"id": "intro", "type": "email", "variants": [
              {"name": "A", "subject": "Quick question, {{first_name}}", "body": "Hi {{first_name}} at {{company.name}}", "html": "<p>Hi {{first_name}} &amp; {{title}}</p>"},
              {"name": "B", "subject": "{{company.name}} + us?", "body": "Hello {{first_name}}\n{{sender.name}}, {{sender.address}}"}]},
           {"type": "wait", "days": 3, "business_days": true},
           {"type": "condition", "if": "not_opened", "then": "nudge"},
           {"type": "task", "title": "Call {{first_name}}"},
           {"id": "nudge", "type": "sms", "body": "Hi {{first_name}}, reply STOP to opt out."}]}
        """#

    @Test(arguments: TestDatabases.kinds)
    func aSequenceIsStoredPausedResumedAndPreviewed(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try await api.request(.post, "/api/v1/sequences", json: Self.definition)
            #expect(created.status == .created)
            let sequence = try APITestHarness.object(created)
            let id = try #require(sequence["id"] as? String)
            #expect(sequence["steps"] as? Int == 5)
            #expect(sequence["status"] as? String == "active")

            let paused = try APITestHarness.object(try await api.request(.post, "/api/v1/sequences/\(id)/pause"))
            #expect(paused["status"] as? String == "paused")
            let resumed = try APITestHarness.object(try await api.request(.post, "/api/v1/sequences/\(id)/resume"))
            #expect(resumed["status"] as? String == "active")
            let list = try APITestHarness.object(try await api.request(.get, "/api/v1/sequences"))
            #expect((list["data"] as? [[String: Any]])?.count == 1)

            let lead = try APITestHarness.object(
                try await api.request(
                    .post, "/api/v1/leads",
                    json: #"{"email": "grace@acme.example", "title": "CTO & founder", "company": {"name": "Acme"}}"#))
            let leadID = try #require(lead["id"] as? String)
            let preview = try await api.request(
                .post, "/api/v1/sequences/\(id)/preview",
                json:
                    #"{"lead_id": "\#(leadID)", "sender": {"name": "Rep", "email": "rep@example.com", "physical_address": "1 Main St"}}"#
            )
            #expect(preview.status == .ok)
            let steps = try #require(try APITestHarness.object(preview)["steps"] as? [[String: Any]])
            let intro = try #require(steps.first?["messages"] as? [[String: Any]])
            #expect(intro.map { $0["variant"] as? String } == ["A", "B"])
            #expect(intro[0]["subject"] as? String == "Quick question, friend", "the sequence's fallback")
            #expect(intro[0]["text"] as? String == "Hi friend at Acme")
            #expect(intro[0]["html"] as? String == "<p>Hi friend &amp; CTO &amp; founder</p>", "escaped in HTML")
            #expect(intro[1]["text"] as? String == "Hello friend\nRep, 1 Main St")
            #expect(steps[1]["summary"] as? String == "wait 3 business days")
            #expect(
                steps[2]["summary"] as? String == "if the lead has not opened the last e-mail, go to nudge, else go on")
            #expect(steps[3]["summary"] as? String == "Call friend")
            #expect(
                (steps[4]["messages"] as? [[String: Any]])?.first?["text"] as? String
                    == "Hi friend, reply STOP to opt out.")
        }
    }

    @Test func badDefinitionsAndPreviewsAreClearErrors() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let bad = try await api.request(
                .post, "/api/v1/sequences",
                json: #"{"name": "x", "steps": [{"type": "email", "subject": "{{#a}}", "body": "b"}]}"#)
            #expect(bad.status == .unprocessableContent)
            let problem = try APITestHarness.object(bad)
            #expect(
                (problem["detail"] as? String)?.contains("steps[0].subject: the section {{#a}} is not closed") == true)
            let notJSON = try await api.request(.post, "/api/v1/sequences", json: "{nope")
            #expect(notJSON.status == .unprocessableContent)
            let created = try APITestHarness.object(
                try await api.request(.post, "/api/v1/sequences", json: Self.definition))
            let id = try #require(created["id"] as? String)
            let noLead = try await api.request(
                .post, "/api/v1/sequences/\(id)/preview", json: #"{"lead_id": "missing"}"#)
            #expect(noLead.status == .unprocessableContent)
            let missing = try await api.request(.get, "/api/v1/sequences/nope")
            #expect(missing.status == .notFound)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func enrolmentTakesOnlyLeadsTheSequenceCanAndMayReach(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            func lead(_ json: String) async throws -> String {
                let created = try APITestHarness.object(try await api.request(.post, "/api/v1/leads", json: json))
                return try #require(created["id"] as? String)
            }
            let ada = try await lead(#"{"email": "ada@acme.example", "tags": ["q4"]}"#)
            let noEmail = try await lead(
                #"{"first_name": "Nomail", "last_name": "Person", "company": {"name": "Acme"}, "tags": ["q4"]}"#)
            let bounced = try await lead(#"{"email": "gone@acme.example", "email_status": "bounced", "tags": ["q4"]}"#)
            let suppressed = try await lead(#"{"email": "quiet@competitor.example", "tags": ["q4"]}"#)
            let undeliverable = try await lead(#"{"email": "nobody@nullmx.example", "tags": ["q4"]}"#)
            try await api.root.stores.emailVerifications.save(
                EmailVerification(outcome: .undeliverable, reason: "null MX"), for: "nobody@nullmx.example",
                in: api.workspace)
            _ = try await api.request(
                .post, "/api/v1/suppressions", json: #"{"kind": "domain", "value": "competitor.example"}"#)

            let sequence = try APITestHarness.object(
                try await api.request(.post, "/api/v1/sequences", json: Self.definition))
            let id = try #require(sequence["id"] as? String)
            let first = try await api.request(
                .post, "/api/v1/sequences/\(id)/enroll",
                json:
                    #"{"lead_ids": ["\#(ada)", "\#(noEmail)", "\#(bounced)", "\#(suppressed)", "\#(undeliverable)", "nobody"]}"#
            )
            #expect(first.status == .ok)
            let receipt = try APITestHarness.object(first)
            #expect(receipt["enrolled"] as? Int == 1)
            let reasons = Dictionary(
                uniqueKeysWithValues: (receipt["skipped"] as? [[String: String]] ?? []).map {
                    ($0["lead_id"]!, $0["reason"]!)
                })
            #expect(
                reasons == [
                    noEmail: "no_email", bounced: "invalid_email", suppressed: "suppressed",
                    undeliverable: "undeliverable_email", "nobody": "not_found",
                ])
            let again = try APITestHarness.object(
                try await api.request(.post, "/api/v1/sequences/\(id)/enroll", json: #"{"tag": "q4"}"#))
            #expect(again["enrolled"] as? Int == 0)
            #expect(
                (again["skipped"] as? [[String: String]])?.contains {
                    $0["lead_id"] == ada && $0["reason"] == "already_enrolled"
                } == true)

            let exclusive = try APITestHarness.object(
                try await api.request(
                    .post, "/api/v1/sequences",
                    json:
                        #"{"name": "Exclusive", "exclusive": true, "steps": [{"type": "email", "subject": "s", "body": "b"}]}"#
                ))
            let exclusiveID = try #require(exclusive["id"] as? String)
            let busy = try APITestHarness.object(
                try await api.request(
                    .post, "/api/v1/sequences/\(exclusiveID)/enroll", json: #"{"lead_ids": ["\#(ada)"]}"#))
            #expect((busy["skipped"] as? [[String: String]])?.first?["reason"] == "active_elsewhere")

            let list = try APITestHarness.object(try await api.request(.get, "/api/v1/sequences/\(id)/enrollments"))
            let rows = try #require(list["data"] as? [[String: Any]])
            #expect(rows.map { $0["lead_id"] as? String } == [ada])
            #expect(rows.first?["status"] as? String == "active")

            let neither = try await api.request(.post, "/api/v1/sequences/\(id)/enroll", json: "{}")
            #expect(neither.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSequenceIsUpdatedWithoutReshapingItUnderItsLeadsAndDeleted(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let id = try #require(
                try APITestHarness.object(try await api.request(.post, "/api/v1/sequences", json: Self.definition))[
                    "id"]
                    as? String)
            let reworded = Self.definition.replacingOccurrences(of: "Quick question", with: "A question")
            let free = try await api.request(.put, "/api/v1/sequences/\(id)", json: reworded)
            #expect(free.status == .ok)
            _ = try await api.request(.post, "/api/v1/leads", json: #"{"email": "x@acme.example", "tags": ["t"]}"#)
            _ = try await api.request(.post, "/api/v1/sequences/\(id)/enroll", json: #"{"tag": "t"}"#)
            let renamed = Self.definition.replacingOccurrences(of: "Outbound Q4", with: "Outbound Q1")
            #expect(try await api.request(.put, "/api/v1/sequences/\(id)", json: renamed).status == .ok)
            let reshaped = #"{"name": "Short", "steps": [{"type": "email", "subject": "s", "body": "b"}]}"#
            let refused = try await api.request(.put, "/api/v1/sequences/\(id)", json: reshaped)
            #expect(refused.status == .conflict)
            let stored = try APITestHarness.object(try await api.request(.get, "/api/v1/sequences/\(id)"))
            #expect(stored["name"] as? String == "Outbound Q1" && stored["steps"] as? Int == 5)
            #expect(try await api.request(.delete, "/api/v1/sequences/\(id)").status == .noContent)
            #expect(try await api.request(.get, "/api/v1/sequences/\(id)").status == .notFound)
            #expect(
                try await api.root.stores.enrollments.list(
                    sequence: id, in: api.workspace
                ).isEmpty
            )
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func enrolmentByFilterTakesEveryMatchingLead(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            for n in 0..<5 {
                _ = try await api.request(
                    .post, "/api/v1/leads",
                    json: #"{"email": "p\#(n)@acme.example", "country": "\#(n < 3 ? "DE" : "FR")"}"#)
            }
            let sequence = try APITestHarness.object(
                try await api.request(.post, "/api/v1/sequences", json: Self.definition))
            let id = try #require(sequence["id"] as? String)
            let receipt = try APITestHarness.object(
                try await api.request(
                    .post, "/api/v1/sequences/\(id)/enroll", json: #"{"filter": {"country": "Germany"}}"#))
            #expect(receipt["enrolled"] as? Int == 3)
            #expect(receipt["skipped_total"] as? Int == 0)
            let bad = try await api.request(
                .post, "/api/v1/sequences/\(id)/enroll", json: #"{"filter": {"colour": "red", "status": "hot"}}"#)
            #expect(bad.status == .unprocessableContent)
            let problem = try APITestHarness.object(bad)
            let fields = (problem["errors"] as? [[String: String]] ?? []).compactMap { $0["field"] }
            #expect(Set(fields) == ["filter.colour", "filter.status"])
        }
    }
}
