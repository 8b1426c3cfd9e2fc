import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Sandbox
import Storage
import TestSupport
import Testing

/// How stored runs are controlled: incomplete executions retried on their schedule, sequential scenarios
/// one run at a time, `maxErrors` failed runs in a row disabling a scenario, and history retention.
@Suite struct ScenarioRunControlTests {
    static func scenario(_ flow: String, settings: String = "{}") -> Data {
        Data(#"{"name": "test", "flow": \#(flow), "metadata": {"scenario": \#(settings)}}"#.utf8)
    }

    static let hook = #"{"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}}"#

    @Test(arguments: TestDatabases.kinds)
    func aBreakParksTheBundleAndItsRetryFinishesItOnce(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let slack = h.root.appendingPathComponent(String(SandboxOptions.slackWebhookPath.dropFirst()))
            let flow = #"""
                [\#(Self.hook),
                 {"id": 2, "module": "http:MakeRequest", "version": 4, "parameters": {"authenticationType": "noAuth"},
                  "mapper": {"url": "\#(slack.absoluteString)", "method": "post", "contentType": "json",
                             "inputMethod": "jsonString", "jsonStringBodyContent": "{\"text\": \"{{1.text}}\"}",
                             "stopOnHttpError": true},
                  "onerror": [{"id": 9, "module": "builtin:Break", "version": 1,
                               "mapper": {"retry": true, "count": "2", "interval": "1"}}]},
                 {"id": 3, "module": "util:SetVariable2", "version": 1,
                  "mapper": {"name": "status", "value": "{{2.statusCode}}"}}]
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty)
            try await planSandboxFault(h.root, path: SandboxOptions.slackWebhookPath, status: 503)
            _ = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["text": .string("hi")])])
            try await h.drain()
            #expect(try await scenarios.store.runs(of: imported.scenario.id).map(\.status) == [.warning])
            var parked = try await scenarios.incompletes.list(scenario: imported.scenario.id)
            #expect(parked.map(\.status) == [.waiting])
            #expect(parked.first?.moduleID == 2)
            let next = try #require(parked.first?.nextAttemptAt)
            #expect(abs(next.timeIntervalSince(h.clock.now) - 60) < 1, "after its interval of one minute")

            #expect(try await scenarios.startDueRetries() == 0, "not before its interval")
            h.clock.advance(by: 61)
            #expect(try await scenarios.startDueRetries() == 1)
            #expect(try await scenarios.startDueRetries() == 0, "one retry at a time")
            try await h.drain()
            parked = try await scenarios.incompletes.list(scenario: imported.scenario.id)
            #expect(parked.map(\.status) == [.resolved])
            #expect(parked.first?.attempts == 1)
            let runs = try await scenarios.store.runs(of: imported.scenario.id)
            #expect(runs.map(\.trigger).sorted() == ["retry", "webhook"])
            #expect(runs.first { $0.trigger == "retry" }?.status == .success)
            let messages = try await sandboxLedger(h.root, "slack")["messages"] as? [[String: Any]]
            #expect(messages?.map { $0["text"] as? String } == ["hi"], "sent once, by the retry")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSequentialScenarioRunsOneRunAtATimeInOrder(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let flow = #"""
                [\#(Self.hook),
                 {"id": 2, "module": "datastore:AddRecord", "version": 1, "parameters": {"datastore": 1},
                  "mapper": {"key": "{{1.n}}", "data": {"n": "{{1.n}}", "at": "{{now}}"}, "overwrite": true}}]
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow, settings: #"{"sequential": true}"#), name: nil, enabled: true, in: h.workspace)
            #expect(imported.scenario.sequential)
            var ids: [String] = []
            for n in 1...3 {
                ids.append(
                    try await scenarios.start(imported.scenario, trigger: "webhook", bundles: [.object(["n": .int(n)])])
                        .id)
            }
            let pending = try await h.jobs.list(state: .pending).filter { $0.kind == ScenarioRunJob.kind }
            #expect(pending.count == 1, "only the first run has a job while it is open")
            try await h.drain()
            var finished: [StoredScenarioRun] = []
            for id in ids { finished.append(try #require(try await scenarios.store.run(id))) }
            #expect(finished.allSatisfy { $0.status == .success })
            let order = finished.compactMap(\.finishedAt)
            #expect(order == order.sorted(), "in the order they came")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func maxErrorsFailedRunsInARowDisableTheScenario(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let flow = #"""
                [\#(Self.hook),
                 {"id": 2, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "{{1.body}}"}}]
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow, settings: #"{"maxErrors": 2}"#), name: nil, enabled: true, in: h.workspace)
            _ = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["body": .string("{no")])])
            try await h.drain()
            #expect(try await scenarios.store.get(imported.scenario.id, in: h.workspace)?.enabled == true)
            _ = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["body": .string("{}")])])
            try await h.drain()
            _ = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["body": .string("{no")])])
            try await h.drain()
            #expect(
                try await scenarios.store.get(imported.scenario.id, in: h.workspace)?.enabled == true,
                "the errors were not in a row")
            _ = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["body": .string("{no")])])
            try await h.drain()
            #expect(try await scenarios.store.get(imported.scenario.id, in: h.workspace)?.enabled == false)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRunWhoseRequestDiedIsTakenOverOnce(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let flow =
                #"[\#(Self.hook), {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "a", "value": "{{1.n}}"}}]"#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow), name: nil, enabled: true, in: h.workspace)
            // A request wrote its run and died before finishing it: the run is held for a minute.
            let run = try await scenarios.store.createRun(
                imported.scenario, trigger: "webhook", input: #"[{"n": 7}]"#, status: .running,
                leaseUntil: h.clock.now + 60)
            #expect(try await scenarios.adoptAbandonedRuns() == 0, "not while its hold lasts")
            h.clock.advance(by: 61)
            #expect(try await scenarios.adoptAbandonedRuns() == 1)
            #expect(try await scenarios.adoptAbandonedRuns() == 0, "taken over once")
            try await h.drain()
            let finished = try #require(try await scenarios.store.run(run.id))
            #expect(finished.status == .success)
            #expect(finished.report?.contains("\"a\":7") == true || finished.report?.contains("\"a\": 7") == true)

            // A run the request finishes itself leaves nothing to take over.
            let inline = try await scenarios.runInline(
                imported.scenario, trigger: "webhook", bundles: [.object(["n": .int(1)])])
            #expect(inline.status == .success)
            h.clock.advance(by: 3600)
            #expect(try await scenarios.adoptAbandonedRuns() == 0)
        }
    }

    @Test func runHistoryPastItsRetentionIsDeleted() async throws {
        try await ProviderHarness.withHarness(.sqlite) { h in
            let flow =
                #"[\#(Self.hook), {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "a", "value": 1}}]"#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow), name: nil, enabled: true, in: h.workspace)
            _ = try await scenarios.start(imported.scenario, trigger: "webhook", bundles: [.object([:])])
            try await h.drain()
            h.clock.advance(by: 29 * 86400)
            _ = try await scenarios.start(imported.scenario, trigger: "webhook", bundles: [.object([:])])
            try await h.drain()
            h.clock.advance(by: 2 * 86400)
            try await h.jobs.enqueue(
                try NewJob(kind: ScenarioScheduleTick.kind, payload: [String: String](), queue: ScenarioRunJob.queue))
            try await h.drain()
            #expect(try await scenarios.store.runs(of: imported.scenario.id).count == 1, "30 days are kept")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRunWhoseWorkerKeepsDyingFailsWithTheReasonAndTheNextRunGoesOn(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let flow = #"""
                [\#(Self.hook),
                 {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.n}}"}}]
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow, settings: #"{"sequential": true}"#), name: nil, enabled: true, in: h.workspace)
            let first = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["n": .int(1)])])
            let second = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["n": .int(2)])])
            // Three workers take the first run's job and die with it (their leases run out).
            for _ in 1...JobQueue.maxWorkerDeaths {
                let claimed = try await h.jobs.claim(queues: [ScenarioRunJob.queue], worker: "doomed", lease: 10)
                #expect(claimed.count == 1)
                h.clock.advance(by: 11)
            }
            #expect(try await h.jobs.claim(queues: [ScenarioRunJob.queue], worker: "next", lease: 10).isEmpty)
            #expect(try await scenarios.failRunsOfDeadJobs() == 1)
            let failed = try #require(try await scenarios.store.run(first.id))
            #expect(failed.status == .error)
            #expect(failed.error == "worker died while running it (3 times)")
            #expect(try await scenarios.failRunsOfDeadJobs() == 0, "recorded once")
            try await h.drain()
            #expect(try await scenarios.store.run(second.id)?.status == .success, "the sequence goes on")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aWorkspacesOwnLimitsStopItsRuns(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let flow = #"""
                [{"id": 1, "module": "builtin:BasicRepeater", "version": 1, "mapper": {"repeats": 100}},
                 {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.i}}"}}]
                """#
            let scenarios = h.app.scenarios
            #expect(try await scenarios.limits.set(ScenarioLimitsSetting(operations: 5), for: h.workspace))
            let imported = try await scenarios.importBlueprint(
                Self.scenario(flow), name: nil, enabled: true, in: h.workspace)
            let run = try await scenarios.start(imported.scenario, trigger: "manual", bundles: [])
            try await h.drain()
            let finished = try #require(try await scenarios.store.run(run.id))
            #expect(finished.status == .error)
            #expect(finished.error == "the run went past its limit of 5 operations")

            #expect(try await scenarios.limits.set(ScenarioLimitsSetting(), for: h.workspace))
            let again = try await scenarios.start(imported.scenario, trigger: "manual", bundles: [])
            try await h.drain()
            #expect(try await scenarios.store.run(again.id)?.status == .success, "the defaults allow it")
        }
    }
}
