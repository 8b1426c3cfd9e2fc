import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Scenarios over the API and their webhooks, with a worker running the queued runs.
@Suite struct ScenariosAPITests {
    static let echo = #"""
        {"name": "Echo", "flow": [
          {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
          {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "greeting", "scope": "roundtrip", "value": "Hello {{1.name}}"}},
          {"id": 3, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "201", "body": "{{2.greeting}}", "headers": [{"key": "X-Run", "value": "{{var.scenario.executionId}}"}]}}],
         "metadata": {"instant": true, "version": 1, "scenario": {"roundtrips": 1, "maxErrors": 3, "confidential": CONFIDENTIAL}}}
        """#

    func withWorker(_ kind: SQLDialectKind, _ body: @Sendable (APITestHarness) async throws -> Void) async throws {
        try await APITestHarness.run(kind) { api in
            // The worker must be gone before the harness closes the database.
            let worker = Task { try await api.root.worker.run() }
            do {
                try await body(api)
            } catch {
                worker.cancel()
                _ = await worker.result
                throw error
            }
            worker.cancel()
            _ = await worker.result
        }
    }

    func importEcho(_ api: APITestHarness, confidential: Bool = false, enabled: Bool = true) async throws -> [String:
        Any]
    {
        let response = try await api.request(
            .post, "/api/v1/scenarios?enabled=\(enabled)",
            json: Self.echo.replacingOccurrences(of: "CONFIDENTIAL", with: confidential ? "true" : "false"))
        #expect(response.status == .created)
        return try APITestHarness.object(response)
    }

    @Test(arguments: TestDatabases.kinds)
    func aWebhookRunsTheScenarioAndAnswersWithItsResponse(_ kind: SQLDialectKind) async throws {
        try await withWorker(kind) { api in
            let scenario = try await importEcho(api)
            #expect((scenario["problems"] as? [String])?.isEmpty == true)
            let path = try #require(scenario["webhook_path"] as? String)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let answer = try await api.client.execute(
                uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"name": "Ada"}"#))
            #expect(answer.status == .created)
            #expect(String(buffer: answer.body) == "Hello Ada")
            let runID = try #require(answer.headers[HTTPField.Name("X-Run")!])

            let id = try #require(scenario["id"] as? String)
            let runs = try APITestHarness.object(try await api.request(.get, "/api/v1/scenarios/\(id)/runs"))
            let first = try #require((runs["data"] as? [[String: Any]])?.first)
            #expect(first["id"] as? String == runID)
            #expect(first["status"] as? String == "success")
            #expect(first["operations"] as? Int == 3)
            let detail = try APITestHarness.object(try await api.request(.get, "/api/v1/scenario-runs/\(runID)"))
            let modules = (detail["report"] as? [String: Any])?["modules"] as? [String: [String: Any]]
            #expect((modules?["2"]?["outputs"] as? [[String: String]]) == [["greeting": "Hello Ada"]])
            #expect((detail["response"] as? [String: Any])?["status"] as? Int == 201)
        }
    }

    @Test func webhookMistakesAreClear() async throws {
        try await withWorker(.sqlite) { api in
            let scenario = try await importEcho(api, enabled: false)
            let path = try #require(scenario["webhook_path"] as? String)
            let disabled = try await api.client.execute(uri: path, method: .post, body: ByteBuffer(string: "{}"))
            #expect(disabled.status == .gone)
            let unknown = try await api.client.execute(uri: "/hooks/nope", method: .post)
            #expect(unknown.status == .notFound)
            _ = try await api.request(.post, "/api/v1/scenarios/\(scenario["id"] as! String)/enable")
            let malformed = try await api.client.execute(
                uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{oops")
            )
            #expect(malformed.status == .badRequest)
            let bad = try await api.request(
                .post, "/api/v1/scenarios", json: #"{"name": "x", "flow": [{"module": "a:b"}]}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(String(buffer: bad.body).contains("flow[0].id"))
        }
    }

    @Test func aScenarioWithoutAResponseAnswersAcceptedAndRunsAnyway() async throws {
        try await withWorker(.sqlite) { api in
            let blueprint = #"""
                {"name": "Quiet", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
                  {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.x}}"}}]}
                """#
            let scenario = try APITestHarness.object(
                try await api.request(.post, "/api/v1/scenarios?enabled=true", json: blueprint))
            let answer = try await api.client.execute(
                uri: "\(scenario["webhook_path"] as! String)?x=1", method: .get)
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body) == "Accepted")
            let id = scenario["id"] as! String
            var status: String?
            for _ in 0..<200 where status != "success" {
                let runs = try APITestHarness.object(try await api.request(.get, "/api/v1/scenarios/\(id)/runs"))
                status = (runs["data"] as? [[String: Any]])?.first?["status"] as? String
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(status == "success")
        }
    }

    @Test func confidentialRunsKeepNoBundles() async throws {
        try await withWorker(.sqlite) { api in
            let scenario = try await importEcho(api, confidential: true)
            let answer = try await api.client.execute(
                uri: scenario["webhook_path"] as! String, method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "Secret Agent"}"#))
            #expect(String(buffer: answer.body) == "Hello Secret Agent")
            let runID = try #require(answer.headers[HTTPField.Name("X-Run")!])
            let stored = try #require(try await api.root.scenarios.store.run(runID))
            #expect(stored.input == nil)
            #expect(stored.report?.contains("Secret Agent") == false)
            #expect(stored.response == nil, "forgotten once delivered")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func dataStoresKeepRecordsBetweenRuns(_ kind: SQLDialectKind) async throws {
        try await withWorker(kind) { api in
            let writer = #"""
                {"name": "Remember", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
                  {"id": 2, "module": "datastore:AddRecord", "version": 1, "parameters": {"datastore": 5},
                   "mapper": {"key": "{{1.email}}", "data": {"name": "{{1.name}}", "score": "{{1.score}}"}, "overwrite": false},
                   "onerror": [{"id": 9, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "409", "body": "known"}},
                               {"id": 10, "module": "builtin:Ignore", "version": 1}]},
                  {"id": 3, "module": "datastore:GetRecord", "version": 1, "parameters": {"datastore": 5}, "mapper": {"key": "{{1.email}}"}},
                  {"id": 4, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "200", "body": "{{3.name}}"}}]}
                """#
            let reader = #"""
                {"name": "Find", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
                  {"id": 2, "module": "datastore:SearchRecord", "version": 1, "parameters": {"datastore": 5, "limit": 10, "continueWhenNoRes": false},
                   "mapper": {"filter": [[{"a": "score", "o": "number:greater", "b": "{{1.min}}"}]]}},
                  {"id": 3, "module": "builtin:BasicAggregator", "version": 1, "parameters": {"feeder": 2}, "mapper": {"key": "{{2.key}}"}},
                  {"id": 4, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "200", "body": "{{join(map(3.array; key); \",\")}}"}}]}
                """#
            let write = try APITestHarness.object(
                try await api.request(.post, "/api/v1/scenarios?enabled=true", json: writer))
            let read = try APITestHarness.object(
                try await api.request(.post, "/api/v1/scenarios?enabled=true", json: reader))
            #expect((write["problems"] as? [String])?.isEmpty == true)
            func post(_ path: Any?, _ body: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await api.client.execute(
                    uri: path as! String, method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body))
                return (response.status, String(buffer: response.body))
            }
            #expect(
                try await post(write["webhook_path"], #"{"email": "a@x.com", "name": "Ada", "score": 80}"#) == (
                    .ok, "Ada"
                ))
            #expect(
                try await post(write["webhook_path"], #"{"email": "b@x.com", "name": "Bob", "score": 20}"#) == (
                    .ok, "Bob"
                ))
            #expect(
                try await post(write["webhook_path"], #"{"email": "a@x.com", "name": "Again", "score": 1}"#) == (
                    .conflict, "known"
                ))
            #expect(try await post(read["webhook_path"], #"{"min": 50}"#) == (.ok, "a@x.com"))
            #expect(try await post(read["webhook_path"], #"{"min": 10}"#) == (.ok, "a@x.com,b@x.com"))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func platformModulesCreateMergeAndEditLeads(_ kind: SQLDialectKind) async throws {
        try await withWorker(kind) { api in
            let blueprint = #"""
                {"name": "Inbound lead", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
                  {"id": 2, "module": "leadgen:CreateLead", "version": 1,
                   "mapper": {"email": "{{1.email}}", "first_name": "{{1.name}}", "company_domain": "{{1.site}}", "tags": "inbound"}},
                  {"id": 3, "module": "leadgen:ChangeStatus", "version": 1, "mapper": {"id": "{{2.id}}", "status": "qualified"}},
                  {"id": 4, "module": "leadgen:SearchLeads", "version": 1, "mapper": {"tag": "inbound", "limit": 50}},
                  {"id": 5, "module": "builtin:BasicAggregator", "version": 1, "parameters": {"feeder": 4}, "mapper": {"email": "{{4.email}}"}},
                  {"id": 6, "module": "gateway:WebhookRespond", "version": 1,
                   "mapper": {"status": "200", "body": "{{2.outcome}} {{3.status}} {{length(5.array)}}"}}]}
                """#
            let scenario = try APITestHarness.object(
                try await api.request(.post, "/api/v1/scenarios?enabled=true", json: blueprint))
            #expect((scenario["problems"] as? [String])?.isEmpty == true)
            func post(_ body: String) async throws -> String {
                let response = try await api.client.execute(
                    uri: scenario["webhook_path"] as! String, method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body))
                return String(buffer: response.body)
            }
            #expect(
                try await post(#"{"email": " Ada@Acme.example ", "name": "ADA", "site": "www.acme.example"}"#)
                    == "created qualified 1")
            #expect(
                try await post(#"{"email": "ada@acme.example", "name": "Ada", "site": "acme.example"}"#)
                    == "unchanged qualified 1")
            #expect(
                try await post(#"{"email": "grace@acme.example", "name": "Grace", "site": "acme.example"}"#)
                    == "created qualified 2")
            let leads = try await api.root.stores.leads.list(LeadQuery(), in: api.workspace).leads
            #expect(leads.count == 2)
            #expect(leads.allSatisfy { $0.status == .qualified && $0.fields.tags == ["inbound"] })
        }
    }
}
