import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import WebApp

@Suite struct DashboardTests {
    func form(_ fields: [String: String]) -> String {
        fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
    }

    func post(
        _ api: APITestHarness, _ uri: String, _ fields: [String: String], cookie: String
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.cookie] = cookie
        return try await api.client.execute(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form(fields)))
    }

    @Test func firstRunSetupThenOnlyLogin() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let redirect = try await api.client.execute(uri: "/leads", method: .get)
            #expect(redirect.status == .seeOther)
            #expect(redirect.headers[.location] == "/setup")

            let fields = [
                "email": "owner@acme.com", "password": "long enough password",
                "csrf_token": "a" + String(repeating: "b", count: 31),
            ]
            let forged = try await post(
                api, "/setup", fields, cookie: "leadgen_csrf=" + String(repeating: "c", count: 32))
            #expect(forged.status == .forbidden)
            #expect(
                try await api.root.accounts.authenticate(email: "owner@acme.com", password: "long enough password")
                    == nil)

            let created = try await post(api, "/setup", fields, cookie: "leadgen_csrf=" + fields["csrf_token"]!)
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/leads")
            let session = try #require(created.headers[values: .setCookie].first { $0.hasPrefix("leadgen_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))

            let token = String(session.dropFirst("leadgen_session=".count).prefix { $0 != ";" })
            var headers = HTTPFields()
            headers[.cookie] = "leadgen_session=\(token)"
            let page = try await api.client.execute(uri: "/leads", method: .get, headers: headers)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("owner@acme.com"))

            let again = try await post(
                api, "/setup",
                ["email": "intruder@x.com", "password": "another password", "csrf_token": fields["csrf_token"]!],
                cookie: "leadgen_csrf=" + fields["csrf_token"]!)
            #expect(again.headers[.location] == "/login")
            #expect(try await api.root.stores.users.count() == 1)
        }
    }

    @Test func unknownPagesAndLeadsAreA404Page() async throws {
        try await APITestHarness.run(.sqlite) { api in
            _ = try await api.root.accounts.createUser(
                email: "o@acme.com", password: "long enough password", name: nil, workspaceSlug: "acme")
            let user = try #require(
                try await api.root.stores.users.find(
                    email: .init(parsing: "o@acme.com")))
            let token = try await api.root.stores.sessions.create(for: user)
            var headers = HTTPFields()
            headers[.cookie] = "leadgen_session=\(token)"
            let missing = try await api.client.execute(uri: "/leads/nope", method: .get, headers: headers)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("Request id"))
            #expect(missing.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
    }

    @Test func thePipelinePageChecksItsFormsAndSaysWhatIsMissing() async throws {
        try await APITestHarness.run(.sqlite) { api in
            _ = try await api.root.accounts.createUser(
                email: "o@acme.com", password: "long enough password", name: nil, workspaceSlug: "acme")
            let user = try #require(
                try await api.root.stores.users.find(
                    email: .init(parsing: "o@acme.com")))
            let token = try await api.root.stores.sessions.create(for: user)
            let csrf = try #require(try await api.root.stores.sessions.find(token: token)?.csrfToken)
            let cookie = "leadgen_session=\(token)"
            var headers = HTTPFields()
            headers[.cookie] = cookie
            let page = try await api.client.execute(uri: "/pipeline", method: .get, headers: headers)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Apollo is not connected"))

            let forged = try await post(
                api, "/pipeline/enrichments", ["budget": "5", "csrf_token": "x"], cookie: cookie)
            #expect(forged.status == .forbidden)
            let badBudget = try await post(
                api, "/pipeline/enrichments", ["budget": "lots", "csrf_token": csrf], cookie: cookie)
            #expect(badBudget.status == .badRequest)
            #expect(String(buffer: badBudget.body).contains("Budget: expected a number of credits"))
            let unconnected = try await post(
                api, "/pipeline/searches", ["seniority": "vp", "csrf_token": csrf], cookie: cookie)
            #expect(unconnected.status == .badRequest)
            #expect(String(buffer: unconnected.body).contains("APOLLO_API_KEY"))
            #expect(try await api.root.stores.enrichment.runs(in: api.workspace).isEmpty)
        }
    }
}
