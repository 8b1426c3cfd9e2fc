import App
import Foundation
import Pipeline
import Storage
import TestSupport
import Testing

/// Scheduled scenarios start once per due time, across processes, and stop when disabled.
@Suite struct ScenarioScheduleRunTests {
    static let blueprint = #"""
        {"name": "Every minute", "flow": [
          {"id": 1, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "tick", "value": "{{formatDate(now; \"HH:mm\")}}"}}],
         "scheduling": {"type": "indefinitely", "interval": 60}}
        """#

    @Test(arguments: TestDatabases.kinds)
    func aDueScenarioRunsOncePerDueTime(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Data(Self.blueprint.utf8), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty)
            #expect(imported.scenario.nextRunAt == h.clock.now + 60)
            #expect(try await scenarios.startDueRuns() == 0)
            h.clock.advance(by: 61)
            #expect(try await scenarios.startDueRuns() == 1)
            #expect(try await scenarios.startDueRuns() == 0, "the same due time is started once")
            try await h.drain()
            let runs = try await scenarios.store.runs(of: imported.scenario.id)
            #expect(runs.map(\.status) == [.success])
            #expect(runs.first?.trigger == "schedule")

            try await scenarios.setEnabled(imported.scenario, false)
            h.clock.advance(by: 120)
            #expect(try await scenarios.startDueRuns() == 0)
            #expect(try await scenarios.store.get(imported.scenario.id, in: h.workspace)?.nextRunAt == nil)
        }
    }
}
