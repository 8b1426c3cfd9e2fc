import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import NIOFoundationEssentialsCompat
import Pipeline
import Providers
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Outgoing webhooks from the API to a live receiver: signed, retried on schedule, delivered once per
/// `webhook-id` and in order per lead.
@Suite struct OutgoingWebhooksTests {
    static func lead(_ email: String) throws -> IngestItem {
        var fields = LeadFields()
        fields.email = try EmailAddress(parsing: email)
        fields.firstName = "Ada"
        return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "api"))
    }

    /// Runs the worker, moving the clock an hour at a time, until no message waits (at most `rounds` times).
    static func deliverAll(_ api: APITestHarness, clock: ManualClock, rounds: Int = 40) async throws {
        for _ in 0..<rounds {
            _ = try await api.root.worker.drain()
            if try await api.root.stores.webhookMessages.nextAttempt() == nil { return }
            clock.advance(by: 3600)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func everyEventArrivesOncePerIdAfterFailuresAndATimeout(_ kind: SQLDialectKind) async throws {
        let clock = ManualClock(Date())
        let receiver = WebhookReceiver(
            script: [.status(500), .status(503, retryAfter: "120"), .hang(3), .status(500)], now: { clock.now })
        try await APITestHarness.run(kind, time: clock.source, configure: { $0.webhookTimeout = 0.5 }) { api in
            try await receiver.serve { url in
                let created = try await api.request(
                    .post, "/api/v1/webhooks",
                    json:
                        #"{"url": "\#(url)", "events": ["lead.created", "lead.status_changed"], "description": "CRM"}"#)
                #expect(created.status == .created)
                let endpoint = try JSON.parse(Data(buffer: created.body))
                let secret = try #require(endpoint["secret"]?.stringValue)
                let endpointID = try #require(endpoint["id"]?.stringValue)
                #expect(secret.hasPrefix("whsec_"))
                await receiver.trust(secret)

                let ingested = try await api.root.stores.ingestor.ingest(
                    [try Self.lead("ada@acme.example"), try Self.lead("grace@acme.example")], into: api.workspace)
                let ada = try #require(ingested.first?.leadID)
                _ = try await api.root.stores.leads.update(ada, in: api.workspace, actor: "test") {
                    $0.status = .contacted
                }
                try await Self.deliverAll(api, clock: clock)

                let deliveries = await receiver.deliveries
                #expect(deliveries.allSatisfy { $0.verified }, "every attempt is signed with the endpoint's secret")
                let acknowledged = await receiver.acknowledged
                #expect(acknowledged.count == 3, "two leads created and one status change: \(acknowledged)")
                #expect(Set(acknowledged).count == acknowledged.count, "nothing acknowledged is sent again")
                #expect(deliveries.count == 3 + 4, "three messages, four failed attempts")
                // lead.updated is not subscribed; a's creation arrives before its status change.
                let types = deliveries.filter { $0.answered == 200 }.map { $0.body["type"]?.stringValue ?? "" }
                #expect(types.filter { $0 == "lead.updated" }.isEmpty)
                let adaEvents = deliveries.filter {
                    $0.answered == 200 && $0.body["data"]?["lead_id"]?.stringValue == ada.rawValue
                }.map { $0.body["type"]?.stringValue ?? "" }
                #expect(adaEvents == ["lead.created", "lead.status_changed"])
                let createdBody = try #require(deliveries.first { $0.answered == 200 }?.body)
                #expect(createdBody["data"]?["lead"]?["email"] != nil, "a lead's event carries the lead")
                #expect(createdBody["timestamp"]?.stringValue?.hasSuffix("Z") == true)

                // The delivery log shows each attempt, the timeout among them.
                let log = try JSON.parse(
                    Data(buffer: try await api.request(.get, "/api/v1/webhooks/\(endpointID)/attempts").body))
                let attempts = try #require(log["data"]?.arrayValue)
                #expect(attempts.count == 7)
                #expect(attempts.filter { $0["succeeded"] == .bool(true) }.count == 3)
                #expect(attempts.contains { $0["error"]?.stringValue?.contains("no answer within") == true })
                #expect(attempts.contains { $0["status_code"] == .int(503) })
                let messages = try JSON.parse(
                    Data(buffer: try await api.request(.get, "/api/v1/webhooks/\(endpointID)/messages").body))
                #expect(messages["data"]?.arrayValue?.allSatisfy { $0["state"] == .string("delivered") } == true)
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aPausedEndpointGetsNothingAndGoneDisablesIt(_ kind: SQLDialectKind) async throws {
        let clock = ManualClock(Date())
        let receiver = WebhookReceiver(script: [.status(410)], now: { clock.now })
        try await APITestHarness.run(kind, time: clock.source, configure: { $0.webhookTimeout = 2 }) { api in
            try await receiver.serve { url in
                let created = try JSON.parse(
                    Data(buffer: try await api.request(.post, "/api/v1/webhooks", json: #"{"url": "\#(url)"}"#).body))
                let id = try #require(created["id"]?.stringValue)
                #expect(created["events"] == .array([.string("*")]))
                await receiver.trust(try #require(created["secret"]?.stringValue))

                let paused = try await api.request(.patch, "/api/v1/webhooks/\(id)", json: #"{"status": "paused"}"#)
                #expect(try JSON.parse(Data(buffer: paused.body))["status"] == .string("paused"))
                _ = try await api.root.stores.ingestor.ingest(
                    [try Self.lead("paused@acme.example")], into: api.workspace)
                try await Self.deliverAll(api, clock: clock)
                #expect(await receiver.deliveries.isEmpty, "a paused endpoint gets nothing")

                _ = try await api.request(.patch, "/api/v1/webhooks/\(id)", json: #"{"status": "active"}"#)
                let test = try await api.request(.post, "/api/v1/webhooks/\(id)/test")
                #expect(test.status == .accepted)
                try await Self.deliverAll(api, clock: clock)
                #expect(await receiver.deliveries.map(\.answered) == [410])
                #expect(await receiver.deliveries.first?.body["type"] == .string("webhook.test"))
                let gone = try JSON.parse(Data(buffer: try await api.request(.get, "/api/v1/webhooks/\(id)").body))
                #expect(gone["status"] == .string("disabled"))
                #expect(gone["disabled_reason"]?.stringValue?.contains("410") == true)

                // A disabled endpoint is sent nothing more until it is made active again.
                _ = try await api.root.stores.ingestor.ingest(
                    [try Self.lead("after@acme.example")], into: api.workspace)
                _ = try await api.root.worker.drain()
                #expect(await receiver.deliveries.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRotatedSecretSignsBesideTheOldOneAndReplaySendsTheSameMessage(_ kind: SQLDialectKind) async throws {
        let clock = ManualClock(Date())
        let receiver = WebhookReceiver(script: [], now: { clock.now })
        try await APITestHarness.run(kind, time: clock.source) { api in
            try await receiver.serve { url in
                let created = try JSON.parse(
                    Data(
                        buffer: try await api.request(
                            .post, "/api/v1/webhooks", json: #"{"target_url": "\#(url)", "events": "lead.created"}"#
                        ).body))
                let id = try #require(created["id"]?.stringValue)
                let oldSecret = try #require(created["secret"]?.stringValue)
                let rotated = try JSON.parse(
                    Data(buffer: try await api.request(.post, "/api/v1/webhooks/\(id)/rotate-secret").body))
                let newSecret = try #require(rotated["secret"]?.stringValue)
                #expect(newSecret != oldSecret)
                #expect(try await api.request(.get, "/api/v1/webhooks/\(id)").body.readableBytes > 0)
                #expect(
                    String(buffer: try await api.request(.get, "/api/v1/webhooks").body).contains("whsec_") == false)

                await receiver.trust(oldSecret)
                _ = try await api.root.stores.ingestor.ingest([try Self.lead("rot@acme.example")], into: api.workspace)
                try await Self.deliverAll(api, clock: clock)
                #expect(await receiver.deliveries.map(\.verified) == [true], "the old secret still verifies")

                let messageID = try #require(await receiver.deliveries.first?.id)
                let replay = try await api.request(
                    .post, "/api/v1/webhooks/\(id)/replay", json: #"{"message_id": "\#(messageID)"}"#)
                #expect(replay.status == .accepted)
                clock.advance(by: WebhookEndpointStore.rotationOverlap + 1)
                await receiver.trust(newSecret)
                try await Self.deliverAll(api, clock: clock)
                let deliveries = await receiver.deliveries
                #expect(deliveries.map(\.id) == [messageID, messageID], "a replay keeps the webhook-id")
                #expect(deliveries.map(\.verified) == [true, true])
            }
        }
    }

    @Test func anEndpointMustBeAPublicURLAndKnownEvents() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let privateURL = try await api.request(
                .post, "/api/v1/webhooks", json: #"{"url": "http://10.1.2.3/hook", "events": ["lead.created"]}"#)
            #expect(privateURL.status == .unprocessableContent)
            #expect(String(buffer: privateURL.body).contains("url"))
            let unknown = try await api.request(
                .post, "/api/v1/webhooks", json: #"{"url": "https://hooks.example.com/x", "events": ["lead.eaten"]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(String(buffer: unknown.body).contains("events[0]"))
            let notURL = try await api.request(.post, "/api/v1/webhooks", json: #"{"url": "ftp://x", "events": []}"#)
            #expect(notURL.status == .unprocessableContent)
            #expect(String(buffer: notURL.body).contains("at least one event type"))
            let missing = try await api.request(.get, "/api/v1/webhooks/ep_nope")
            #expect(missing.status == .notFound)
            let badReplay = try await api.request(.post, "/api/v1/webhooks/ep_nope/replay", json: "{}")
            #expect(badReplay.status == .unprocessableContent)

            for n in 0..<WebhookEndpointStore.limit {
                _ = try await api.root.stores.webhookEndpoints.create(
                    url: "https://hooks.example.com/\(n)", description: "", events: ["*"], in: api.workspace)
            }
            let oneTooMany = try await api.request(
                .post, "/api/v1/webhooks", json: #"{"url": "http://127.0.0.1:9/x", "events": ["*"]}"#)
            #expect(oneTooMany.status == .conflict)
            #expect(String(buffer: oneTooMany.body).contains("at most 50 webhook endpoints"))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aChangeRolledBackSendsNothing(_ kind: SQLDialectKind) async throws {
        struct Abort: Error {}
        try await APITestHarness.run(kind) { api in
            let (endpoint, _) = try await api.root.stores.webhookEndpoints.create(
                url: "https://hooks.example.com/x", description: "", events: ["*"], in: api.workspace)
            let outbox = PlatformEventOutbox(database: api.root.database, ids: api.root.ids, time: api.root.time)
            await #expect(throws: Abort.self) {
                try await api.root.database.transaction { db in
                    try await outbox.record(
                        [NewPlatformEvent(.leadDeleted, subject: "l1", payload: ["lead_id": .text("l1")])],
                        workspace: api.workspace, on: db)
                    throw Abort()
                }
            }
            try await api.root.database.transaction { db in
                try await outbox.record(
                    [NewPlatformEvent(.leadDeleted, subject: "l2", payload: ["lead_id": .text("l2")])],
                    workspace: api.workspace, on: db)
            }
            let messages = try await api.root.stores.webhookMessages.messages(of: endpoint.id, in: api.workspace)
            #expect(messages.map(\.subject) == ["l2"])
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func mergesImportsAndScenarioRunsAreEventsToo(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let (endpoint, _) = try await api.root.stores.webhookEndpoints.create(
                url: "https://hooks.example.com/x", description: "", events: ["*"], in: api.workspace)
            _ = try await api.root.stores.ingestor.ingest([try Self.lead("ada@acme.example")], into: api.workspace)
            var richer = try Self.lead("ada@acme.example")
            richer.input.fields.title = "CTO"
            _ = try await api.root.stores.ingestor.ingest([richer], into: api.workspace)

            let imports = api.root.stores.imports
            let record = try await imports.create(workspace: api.workspace, fileName: "people.csv")
            var summary = ImportSummary()
            summary.rowsRead = 2
            try await imports.update(record.id, status: .running, summary: summary)
            try await imports.update(record.id, status: .succeeded, summary: summary)
            try await imports.update(record.id, status: .succeeded, summary: summary)

            let blueprint = #"""
                {"name": "Tag", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                  {"id": 2, "module": "util:SetVariable2", "version": 1,
                   "mapper": {"name": "x", "scope": "roundtrip", "value": "{{1.name}}"}}]}
                """#
            let scenario = try JSON.parse(
                Data(buffer: try await api.request(.post, "/api/v1/scenarios?enabled=true", json: blueprint).body))
            let scenarioID = try #require(scenario["id"]?.stringValue)
            let run = try await api.request(.post, "/api/v1/scenarios/\(scenarioID)/runs", json: #"{"name": "x"}"#)
            #expect(run.status.code < 300)
            _ = try await api.root.worker.drain()

            let messages = try await api.root.stores.webhookMessages.messages(of: endpoint.id, in: api.workspace)
            let types = messages.reversed().map(\.eventType)
            #expect(
                types.filter { !$0.hasPrefix("scenario.") }
                    == ["lead.created", "lead.merged", "lead.updated", "import.finished"],
                "\(types)")
            #expect(types.filter { $0 == "scenario.run.finished" }.count == 1, "\(types)")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anEnrolmentThatEndsIsReportedOnce(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let stores = api.root.stores
            let (endpoint, _) = try await stores.webhookEndpoints.create(
                url: "https://hooks.example.com/x", description: "", events: ["sequence.enrollment.finished"],
                in: api.workspace)
            let leadID = try #require(
                try await stores.ingestor.ingest([try Self.lead("ada@acme.example")], into: api.workspace).first?
                    .leadID)
            let sequence = try await stores.sequences.create(
                name: "Intro",
                definition:
                    #"{"name": "Intro", "steps": [{"id": "a", "type": "email", "subject": "Hi", "body": "Hi"}]}"#,
                in: api.workspace)
            let enrolled = try await api.root.enrollment.enroll(
                try await stores.leads.get([leadID], in: api.workspace), in: sequence)
            let enrollment = try #require(enrolled.enrolled.first)
            #expect(try await stores.enrollments.setStatus(enrollment.id, .paused, reason: "a person looks"))
            #expect(try await stores.enrollments.setStatus(enrollment.id, .replied, reason: "replied"))
            #expect(try await stores.enrollments.setStatus(enrollment.id, .finished, reason: nil) == false)
            let messages = try await stores.webhookMessages.messages(of: endpoint.id, in: api.workspace)
            #expect(messages.map(\.eventType) == ["sequence.enrollment.finished"], "pausing is not an end")
            #expect(messages.first?.subject == leadID.rawValue, "ordered with the lead's other events")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func finishedMessagesAreForgottenAfterTheirRetention(_ kind: SQLDialectKind) async throws {
        let clock = ManualClock(Date())
        try await APITestHarness.run(kind, time: clock.source) { api in
            let (endpoint, _) = try await api.root.stores.webhookEndpoints.create(
                url: "https://hooks.example.com/x", description: "", events: ["*"], in: api.workspace)
            let messages = api.root.stores.webhookMessages
            _ = try await messages.sendTest(to: endpoint.id, in: api.workspace)
            _ = try await messages.sendTest(to: endpoint.id, in: api.workspace)
            let first = try #require(try await messages.claim(limit: 1, lease: 30).first)
            try await messages.record(
                first, startedAt: clock.now, result: WebhookAttemptResult(statusCode: 200, durationMilliseconds: 3))
            clock.advance(by: WebhookMessageStore.retention - 60)
            #expect(try await messages.prune() == 0, "kept for the whole retention")
            clock.advance(by: 120)
            #expect(try await messages.prune() == 1)
            let left = try await messages.messages(of: endpoint.id, in: api.workspace)
            #expect(left.map(\.state) == [.pending], "a message still owed is never forgotten")
            #expect(try await messages.attempts(of: endpoint.id, in: api.workspace).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRunThatFailsAsAWholeIsFinishedToo(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let stores = api.root.stores
            let (endpoint, _) = try await stores.webhookEndpoints.create(
                url: "https://hooks.example.com/x", description: "", events: ["enrichment.finished", "sync.finished"],
                in: api.workspace)
            let enrichment = try await stores.enrichment.createRun(
                workspace: api.workspace, selection: EnrichmentSelection(), providers: ["apollo"], budget: nil)
            let sync = try await stores.sync.createRun(workspace: api.workspace, provider: "hubspot", scope: .changed)
            for _ in 0..<2 {
                try await stores.enrichment.failRun(enrichment.id, error: "Apollo refused the key")
                try await stores.sync.failRun(sync.id, error: "HubSpot refused the token")
            }
            let messages = try await stores.webhookMessages.messages(of: endpoint.id, in: api.workspace)
            #expect(messages.map(\.eventType).sorted() == ["enrichment.finished", "sync.finished"], "once each")
            #expect(Set(messages.compactMap(\.subject)) == [enrichment.id, sync.id])
        }
    }
}
