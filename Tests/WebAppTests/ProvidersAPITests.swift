import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Pipeline
import Providers
import Sandbox
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Sourcing, enrichment, sync, connections and webhooks over the API, with the providers in a live sandbox.
@Suite struct ProvidersAPITests {
    static let webhookSecret = "hubspot-app-secret"
    static let publicURL = URL(string: "https://leadgen.example")!

    struct Harness {
        let api: APITestHarness
        let root: URL
        var app: AppRoot { api.root }

        func drain() async throws { _ = try await app.worker.drain() }

        func json(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> (
            HTTPResponse.Status, [String: Any]
        ) {
            let response = try await api.request(method, uri, json: body)
            let object = response.body.readableBytes > 0 ? (try? APITestHarness.object(response)) ?? [:] : [:]
            return (response.status, object)
        }
    }

    func withHarness(
        _ kind: SQLDialectKind, connected: Bool = true, masterKey: String? = "master",
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        var options = SandboxOptions()
        options.people = 300
        options.rateLimitScale = 1000
        try await withLiveSandbox(options) { root, _ in
            try await TestDatabases.withFresh(kind) { database, _ in
                var providers = connected ? ProviderSettings.sandbox(root: root) : ProviderSettings()
                providers.hubspotWebhookSecret = Self.webhookSecret
                providers.servesAllWorkspaces = true
                providers.apolloRequestsPerSecond = 1000
                providers.hubspotRequestsPerSecond = 1000
                let app = AppRoot.testing(
                    database,
                    transport: ProviderTransport(
                        logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 })
                ) {
                    $0.providers = providers
                    $0.masterKey = masterKey
                    $0.publicURL = Self.publicURL
                }
                let workspace = try await app.stores.workspaces.findOrCreate(slug: "acme").id
                let key = try await app.stores.apiKeys.create(workspace: workspace, name: "test").secret
                let application = Application(
                    router: try await buildRouter(app, web: WebSettings(maxBodySize: 256 * 1024)),
                    logger: TestDatabases.logger)
                try await application.test(.router) { client in
                    try await body(
                        Harness(
                            api: APITestHarness(root: app, client: client, apiKey: key, workspace: workspace),
                            root: root))
                }
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSavedSearchThenEnrichmentThenSyncOverTheAPI(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            let (created, search) = try await h.json(
                .post, "/api/v1/saved-searches",
                #"{"name": "vps", "query": {"seniorities": ["vp"]}, "max": 25}"#)
            #expect(created == .created)
            let id = try #require(search["id"] as? String)
            let (queued, _) = try await h.json(.post, "/api/v1/saved-searches/\(id)/run")
            #expect(queued == .accepted)
            try await h.drain()
            let (_, ran) = try await h.json(.get, "/api/v1/saved-searches/\(id)")
            #expect((ran["last_run"] as? [String: Any])?["added"] as? Int == 25)

            let (accepted, run) = try await h.json(.post, "/api/v1/enrichments", #"{"budget": 20}"#)
            #expect(accepted == .accepted)
            try await h.drain()
            let (_, done) = try await h.json(.get, "/api/v1/enrichments/\(try #require(run["id"] as? String))")
            #expect(done["status"] as? String == "budget_exhausted")
            #expect(done["spent"] as? Double == 20)
            #expect(done["leads_over_budget"] as? Int == 5)

            let (syncAccepted, sync) = try await h.json(.post, "/api/v1/syncs", #"{"scope": "all"}"#)
            #expect(syncAccepted == .accepted)
            try await h.drain()
            let (_, synced) = try await h.json(.get, "/api/v1/syncs/\(try #require(sync["id"] as? String))")
            #expect(synced["status"] as? String == "succeeded")
            let created_ = try #require(synced["leads_created"] as? Int)
            #expect(created_ > 10)
            let contacts = try await sandboxLedger(h.root, "hubspot")["contacts"] as? [[String: Any]]
            #expect(contacts?.count == created_)
        }
    }

    @Test func mistakesAreReportedFieldByField() async throws {
        try await withHarness(.sqlite) { h in
            let (status, problem) = try await h.json(
                .post, "/api/v1/enrichments", #"{"budget": -1, "status": "hot", "colour": "red"}"#)
            #expect(status == .unprocessableContent)
            let fields = (problem["errors"] as? [[String: String]])?.compactMap { $0["field"] }
            #expect(Set(fields ?? []) == ["budget", "status", "colour"])
            let (searchStatus, searchProblem) = try await h.json(
                .post, "/api/v1/saved-searches",
                #"{"name": "x", "query": {"seniorities": ["boss"], "employees": ["lots"]}}"#)
            #expect(searchStatus == .unprocessableContent)
            let searchFields = (searchProblem["errors"] as? [[String: String]])?.compactMap { $0["field"] }
            #expect(Set(searchFields ?? []) == ["query.seniorities", "query.employees"])
            let (syncStatus, _) = try await h.json(.post, "/api/v1/syncs", #"{"provider": "salesforce"}"#)
            #expect(syncStatus == .unprocessableContent)
            let (notJSON, _) = try await h.json(.post, "/api/v1/enrichments", "{budget")
            #expect(notJSON == .badRequest)
        }
    }

    @Test func withoutAConnectionTheAPISaysHowToConnect() async throws {
        try await withHarness(.sqlite, connected: false) { h in
            let (status, problem) = try await h.json(.post, "/api/v1/enrichments", "{}")
            #expect(status == .conflict)
            #expect((problem["detail"] as? String)?.contains("APOLLO_API_KEY") == true)
            let (syncStatus, _) = try await h.json(.post, "/api/v1/syncs", "{}")
            #expect(syncStatus == .conflict)
        }
    }

    @Test func connectionsAreStoredSealedAndNeverReturned() async throws {
        try await withHarness(.sqlite, connected: false) { h in
            let (status, body) = try await h.json(
                .put, "/api/v1/connections/hubspot",
                #"{"access_token": "pat-sandbox-hubspot-token", "base_url": "\#(h.root.absoluteString)", "field_mapping": {"contact": {"title": "jobtitle"}}}"#
            )
            #expect(status == .ok)
            #expect(body["access_token"] == nil)
            let (_, list) = try await h.json(.get, "/api/v1/connections")
            let text = String(describing: list)
            #expect(!text.contains("pat-sandbox"))
            #expect(try await h.app.registry.isConnected("hubspot", h.api.workspace))
            let (bad, problem) = try await h.json(
                .put, "/api/v1/connections/hubspot",
                #"{"access_token": "x", "field_mapping": {"contact": {"shoe_size": "x"}}}"#)
            #expect(bad == .unprocessableContent)
            #expect((problem["detail"] as? String)?.contains("shoe_size") == true)
            let (unknown, _) = try await h.json(.put, "/api/v1/connections/salesforce", #"{"access_token": "x"}"#)
            #expect(unknown == .notFound)
            let (deleted, _) = try await h.json(.delete, "/api/v1/connections/hubspot")
            #expect(deleted == .noContent)
        }
    }

    @Test func slackMakeAndKeychainConnectionsTakeTheirOwnFields() async throws {
        try await withHarness(.sqlite, connected: false) { h in
            let slackURL = h.root.appendingPathComponent(String(SandboxOptions.slackWebhookPath.dropFirst()))
            let (slack, _) = try await h.json(
                .put, "/api/v1/connections/slack", #"{"webhook_url": "\#(slackURL.absoluteString)"}"#)
            #expect(slack == .ok)
            try await h.app.registry.slack(for: h.api.workspace).post(text: "connected")
            let messages = try await sandboxLedger(h.root, "slack")["messages"] as? [[String: Any]]
            #expect(messages?.first?["text"] as? String == "connected")

            let makeBase = h.root.appendingPathComponent("make/api/v2").absoluteString
            let (make, _) = try await h.json(
                .put, "/api/v1/connections/make",
                #"{"api_token": "\#(SandboxOptions.makeAPIToken)", "base_url": "\#(makeBase)"}"#)
            #expect(make == .ok)
            let scenarios = try await h.app.registry.make(for: h.api.workspace).listScenarios(
                teamID: SandboxOptions.makeTeamID)
            #expect(scenarios.count == 3)

            let (keychain, _) = try await h.json(
                .put, "/api/v1/connections/keychain-7", #"{"key": "k-123", "name": "X-API-Key", "placement": "header"}"#
            )
            #expect(keychain == .ok)
            let (_, list) = try await h.json(.get, "/api/v1/connections")
            let providers = (list["data"] as? [[String: Any]])?.compactMap { $0["provider"] as? String }
            #expect(Set(providers ?? []) == ["slack", "make", "keychain-7"])
            #expect(!String(describing: list).contains("k-123"))

            let (wrong, problem) = try await h.json(.put, "/api/v1/connections/slack", #"{"api_key": "x"}"#)
            #expect(wrong == .unprocessableContent)
            #expect((problem["detail"] as? String)?.contains("not a field of slack connections") == true)
            let (badZone, zoneProblem) = try await h.json(
                .put, "/api/v1/connections/make", #"{"api_token": "t", "zone": "moon.make.com"}"#)
            #expect(badZone == .unprocessableContent)
            #expect((zoneProblem["detail"] as? String)?.contains("eu1.make.com") == true)
            let (mixed, _) = try await h.json(.put, "/api/v1/connections/keychain-8", #"{"key": "k", "token": "t"}"#)
            #expect(mixed == .unprocessableContent)
            let (zero, _) = try await h.json(.put, "/api/v1/connections/keychain-0", #"{"token": "t"}"#)
            #expect(zero == .notFound)
        }
    }

    @Test func withoutAMasterKeyCredentialsAreNotStored() async throws {
        try await withHarness(.sqlite, connected: false, masterKey: nil) { h in
            let (status, problem) = try await h.json(.put, "/api/v1/connections/apollo", #"{"api_key": "k"}"#)
            #expect(status == .conflict)
            #expect((problem["detail"] as? String)?.contains("LEADGEN_MASTER_KEY") == true)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func apollosPhoneDeliveryIsAppliedOnceAndOnlyToKnownLeads(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            var fields = LeadFields()
            fields.apolloPersonID = "587cf802f65125cad923a266"
            fields.lastName = "Zheng"
            _ = try await h.app.stores.ingestor.ingest(
                [IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))],
                into: h.api.workspace)
            let token = try await h.app.stores.webhooks.issueToken(
                provider: "apollo", purpose: "phones", workspace: h.api.workspace)
            let delivery = """
                {"status":"success","total_requested_enrichments":2,"unique_enriched_records":2,"missing_records":0,"credits_consumed":16,
                 "people":[{"id":"587cf802f65125cad923a266","status":"success","phone_numbers":[{"raw_number":"+1 415-555-0123",
                   "sanitized_number":"+14155550123","type_cd":"mobile","status_cd":"valid_number","dnc_status_cd":"not_found",
                   "confidence_cd":"high","position":0}]},
                  {"id":"ffffffffffffffffffffffff","status":"success","phone_numbers":[{"sanitized_number":"+14155550999","type_cd":"mobile"}]}]}
                """
            let first = try await h.api.request(.post, "/webhooks/apollo/\(token)", json: delivery, authorized: false)
            #expect(first.status == .ok)
            #expect(try APITestHarness.object(first)["applied"] as? Int == 1)
            let again = try await h.api.request(.post, "/webhooks/apollo/\(token)", json: delivery, authorized: false)
            #expect(try APITestHarness.object(again)["duplicate"] as? Bool == true)
            let leads = try await h.app.stores.leads.list(LeadQuery(), in: h.api.workspace).leads
            #expect(leads.count == 1)
            #expect(leads.first?.fields.phones.map(\.e164) == ["+14155550123"])
            let events = try await h.app.stores.leads.events(of: leads[0].id, in: h.api.workspace)
            #expect(events.filter { $0.kind == .merged || $0.kind == .fieldChanged }.count >= 1)

            let unknown = try await h.api.request(
                .post, "/webhooks/apollo/\(String(repeating: "a", count: 64))", json: delivery, authorized: false)
            #expect(unknown.status == .notFound)
            let malformed = try await h.api.request(
                .post, "/webhooks/apollo/\(token)", json: #"{"people": [{"phone_numbers": 3}]}"#, authorized: false)
            #expect(malformed.status == .badRequest)
        }
    }

    func signed(_ body: String, at millis: Int64, secret: String = webhookSecret) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-HubSpot-Request-Timestamp")!] = String(millis)
        headers[HTTPField.Name("X-HubSpot-Signature-Version")!] = "v3"
        headers[HTTPField.Name("X-HubSpot-Signature-v3")!] = HubSpotWebhookSignature.sign(
            secret: secret, method: "POST", uri: Self.publicURL.absoluteString + "/webhooks/hubspot",
            body: Data(body.utf8),
            timestamp: String(millis))
        return headers
    }

    @Test(arguments: TestDatabases.kinds)
    func hubspotPropertyChangesReachTheLeadOncePerEvent(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            var fields = LeadFields()
            fields.email = try EmailAddress(parsing: "ada@acme.example")
            fields.firstName = "Ada"
            _ = try await h.app.stores.ingestor.ingest(
                [IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))],
                into: h.api.workspace)
            _ = try await h.json(.post, "/api/v1/syncs", #"{"scope": "all"}"#)
            try await h.drain()
            let lead = try #require(try await h.app.stores.leads.list(LeadQuery(), in: h.api.workspace).leads.first)
            let record = try #require(
                try await h.app.stores.sync.records(
                    provider: "hubspot", objectType: "lead", localIDs: [lead.id.rawValue]
                )[lead.id.rawValue]?.remoteID)

            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let body = """
                [{"eventId":100,"subscriptionId":1234,"portalId":62515,"appId":54321,"occurredAt":\(now),
                  "subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":\(record),
                  "propertyName":"jobtitle","propertyValue":"Countess","changeSource":"CRM"}]
                """
            let response = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(body, at: now), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(try APITestHarness.object(response)["applied"] as? Int == 1)
            #expect(try await h.app.stores.leads.get(lead.id, in: h.api.workspace)?.fields.title == "Countess")

            let replay = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(body, at: now), body: ByteBuffer(string: body))
            #expect(try APITestHarness.object(replay)["applied"] as? Int == 0)

            // The new developer platform's generic subscriptions: object.propertyChange naming the object.
            let generic = """
                [{"eventId":101,"portalId":62515,"occurredAt":\(now),"subscriptionType":"object.propertyChange",
                  "objectName":"contact","objectId":\(record),"propertyName":"jobtitle","propertyValue":"Duchess"},
                 {"eventId":102,"portalId":62515,"occurredAt":\(now),"subscriptionType":"object.propertyChange",
                  "objectName":"company","objectId":\(record),"propertyName":"name","propertyValue":"Not a lead"}]
                """
            let applied = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(generic, at: now),
                body: ByteBuffer(string: generic))
            #expect(try APITestHarness.object(applied)["applied"] as? Int == 1, "the contact's, not the company's")
            #expect(try await h.app.stores.leads.get(lead.id, in: h.api.workspace)?.fields.title == "Duchess")

            // Values go through the fields' normalizer, as from any source: text folded, and a value that cannot be
            // the field's leaves it as it was.
            let normalized = """
                [{"eventId":105,"portalId":62515,"occurredAt":\(now),"subscriptionType":"contact.propertyChange",
                  "objectId":\(record),"propertyName":"country","propertyValue":" Germany "},
                 {"eventId":106,"portalId":62515,"occurredAt":\(now),"subscriptionType":"contact.propertyChange",
                  "objectId":\(record),"propertyName":"country","propertyValue":"Atlantis"},
                 {"eventId":107,"portalId":62515,"occurredAt":\(now),"subscriptionType":"contact.propertyChange",
                  "objectId":\(record),"propertyName":"city","propertyValue":"  Bad \\t  Homburg "}]
                """
            _ = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(normalized, at: now),
                body: ByteBuffer(string: normalized))
            let edited = try await h.app.stores.leads.get(lead.id, in: h.api.workspace)?.fields
            #expect(edited?.country?.code == "DE")
            #expect(edited?.city == "Bad Homburg")
            #expect(edited?.title == "Duchess")

            // Contact ids are unique per portal only: another workspace, synced to another portal, holds a contact
            // with the same id. Each portal's event reaches its own workspace's lead and no other.
            #expect(
                try await h.app.stores.crmAccounts.account(provider: "hubspot", workspace: h.api.workspace)?.id
                    == "62515")
            let other = try await h.app.stores.workspaces.findOrCreate(slug: "other").id
            var otherFields = LeadFields()
            otherFields.email = try EmailAddress(parsing: "grace@navy.example")
            otherFields.title = "Rear Admiral"
            _ = try await h.app.stores.ingestor.ingest(
                [IngestItem(input: LeadInput(fields: otherFields), source: LeadSourceRef(kind: "test"))], into: other)
            let otherLead = try #require(try await h.app.stores.leads.list(LeadQuery(), in: other).leads.first)
            try await h.app.stores.sync.save(
                [CRMRecord(localID: otherLead.id.rawValue, remoteID: record, contentHash: nil)], provider: "hubspot",
                objectType: "lead", workspace: other)
            try await h.app.stores.crmAccounts.record(
                "99999", provider: "hubspot", workspace: other, credential: "another token")
            let sameIDOtherPortal = """
                [{"eventId":103,"portalId":99999,"occurredAt":\(now),"subscriptionType":"contact.propertyChange",
                  "objectId":\(record),"propertyName":"jobtitle","propertyValue":"Commodore"},
                 {"eventId":104,"occurredAt":\(now),"subscriptionType":"contact.propertyChange",
                  "objectId":\(record),"propertyName":"jobtitle","propertyValue":"No portal named"}]
                """
            let scoped = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(sameIDOtherPortal, at: now),
                body: ByteBuffer(string: sameIDOtherPortal))
            #expect(try APITestHarness.object(scoped)["applied"] as? Int == 1)
            #expect(try await h.app.stores.leads.get(otherLead.id, in: other)?.fields.title == "Commodore")
            #expect(try await h.app.stores.leads.get(lead.id, in: h.api.workspace)?.fields.title == "Duchess")

            let forged = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(body, at: now, secret: "guess"),
                body: ByteBuffer(string: body))
            #expect(forged.status == .unauthorized)
            let stale = now - 6 * 60 * 1000
            let old = try await h.api.client.execute(
                uri: "/webhooks/hubspot", method: .post, headers: signed(body, at: stale),
                body: ByteBuffer(string: body))
            #expect(old.status == .unauthorized)
        }
    }
}
