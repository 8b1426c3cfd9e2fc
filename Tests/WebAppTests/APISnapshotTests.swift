import App
import Foundation
import HTTPTypes
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// The most used endpoints' whole responses, pinned (see `APISnapshot`), on a fixed clock with sequential ids.
@Suite struct APISnapshotTests {
    static let clock = TimeSource { Date(timeIntervalSince1970: 1_800_000_000) }

    static let lead = #"""
        {"email": " Ada.Lovelace@Analytical.example ", "first_name": "ada", "last_name": "LOVELACE",
         "title": "VP Engineering", "phones": ["+44 20 7946 0018"], "linkedin_url": "https://www.linkedin.com/in/ada-lovelace/",
         "country": "GB", "tags": ["conference"], "company": {"name": "Analytical Engines", "domain": "https://www.analytical.example/"}}
        """#

    @Test func leads() async throws {
        try await APITestHarness.run(.sqlite, time: Self.clock, ids: .sequential()) { api in
            let created = try await api.snapshot("leads-create", .post, "/api/v1/leads", json: Self.lead)
            let id = try #require(try APITestHarness.object(created)["id"] as? String)
            try await api.snapshot("leads-get", .get, "/api/v1/leads/\(id)")
            _ = try await api.request(.post, "/api/v1/leads", json: #"{"email": "grace@navy.example"}"#)
            _ = try await api.request(.post, "/api/v1/leads", json: #"{"email": "alan@bletchley.example"}"#)
            try await api.snapshot("leads-list-first-page", .get, "/api/v1/leads?limit=2")
            try await api.snapshot(
                "leads-update", .patch, "/api/v1/leads/\(id)", json: #"{"status": "qualified", "tags": ["vip"]}"#)
            try await api.snapshot(
                "leads-create-invalid", .post, "/api/v1/leads",
                json: #"{"email": "not an address", "first_name": 7, "favourite_colour": "blue"}"#)
            try await api.snapshot("leads-not-found", .get, "/api/v1/leads/no-such-lead")
            try await api.snapshot("companies-list", .get, "/api/v1/companies")
        }
    }

    @Test func sequencesAndSuppressions() async throws {
        try await APITestHarness.run(.sqlite, time: Self.clock, ids: .sequential()) { api in
            let created = try await api.snapshot(
                "sequences-create", .post, "/api/v1/sequences", json: SequencesAPITests.definition)
            let id = try #require(try APITestHarness.object(created)["id"] as? String)
            try await api.snapshot("sequences-get", .get, "/api/v1/sequences/\(id)")
            try await api.snapshot(
                "sequences-create-invalid", .post, "/api/v1/sequences",
                json: #"{"name": "", "steps": [{"type": "email", "subject": "Hi {{first_name"}]}"#)
            try await api.snapshot(
                "suppressions-add", .post, "/api/v1/suppressions",
                json: #"{"kind": "domain", "value": "Competitor.example"}"#)
            try await api.snapshot("suppressions-list", .get, "/api/v1/suppressions")
        }
    }

    @Test func importsEnrichmentsAndSyncs() async throws {
        try await APITestHarness.run(.sqlite, time: Self.clock, ids: .sequential()) { api in
            let accepted = try await api.snapshot(
                "imports-create", .post, "/api/v1/imports?file_name=people.csv", body: ImportsAPITests.csv,
                contentType: "text/csv")
            let id = try #require(try APITestHarness.object(accepted)["id"] as? String)
            try await api.root.worker.drain()
            try await api.snapshot("imports-get", .get, "/api/v1/imports/\(id)")
            try await api.snapshot(
                "enrichments-create", .post, "/api/v1/enrichments", json: #"{"limit": 10, "budget": 5}"#)
            try await api.snapshot(
                "enrichments-create-invalid", .post, "/api/v1/enrichments",
                json: #"{"status": "hot", "limit": 0, "lead_ids": [7]}"#)
            try await api.snapshot("syncs-create", .post, "/api/v1/syncs", json: #"{"scope": "all"}"#)
            try await api.snapshot("syncs-list", .get, "/api/v1/syncs")
        }
    }
}
