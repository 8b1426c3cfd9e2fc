import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Sandbox
import Storage
import TestSupport
import Testing

/// A native scenario hands work to scenarios kept on Make.com: `make:RunScenario` and `make:CallWebhook`
/// against the sandbox's Make.
@Suite struct MakeModulesTests {
    @Test func aNativeScenarioRunsACloudScenarioAndCallsACloudWebhook() async throws {
        try await ProviderHarness.withHarness(.sqlite) { h in
            let hook = h.root.appendingPathComponent("make/hooks/\(SandboxOptions.makeHookToken)")
            let blueprint = #"""
                {"name": "Mixed", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                  {"id": 2, "module": "make:RunScenario", "version": 1,
                   "mapper": {"scenarioId": "101", "data": {"email": "{{1.email}}"}, "responsive": true}},
                  {"id": 3, "module": "make:CallWebhook", "version": 1,
                   "mapper": {"url": "\#(hook.absoluteString)", "data": {"email": "{{1.email}}", "execution": "{{2.executionId}}"}}},
                  {"id": 4, "module": "make:RunScenario", "version": 1, "mapper": {"scenarioId": "103"},
                   "onerror": [{"id": 9, "module": "builtin:Ignore", "version": 1}]}]}
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Data(blueprint.utf8), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty)
            let run = try await scenarios.start(
                imported.scenario, trigger: "webhook", bundles: [.object(["email": .string("ada@acme.example")])])
            try await h.drain()
            let finished = try #require(try await scenarios.store.run(run.id))
            #expect(finished.status == .success)
            let report = try #require(try JSON.parse(Data((finished.report ?? "{}").utf8)).objectValue)
            let modules = try #require(report["modules"]?.objectValue)
            #expect(modules["2"]?["outputs"]?.arrayValue?.first?["status"] == .int(1))
            #expect(
                modules["2"]?["outputs"]?.arrayValue?.first?["outputs"]?["received"]?["email"]
                    == .string("ada@acme.example"))
            #expect(modules["3"]?["outputs"]?.arrayValue?.first?["body"] == .string("Accepted"))
            #expect(
                modules["4"]?["errors"]?.arrayValue?.first?.stringValue?.contains("Activate the scenario") == true,
                "an inactive cloud scenario is an error the route can handle")
            let ledger = try await sandboxLedger(h.root, "make")
            #expect((ledger["runs"] as? [Any])?.count == 1)
            #expect((ledger["hook_calls"] as? [Any])?.count == 1)
        }
    }
}
