import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Sandbox
import Storage
import TestSupport
import Testing

/// `leadgen:VerifyEmail`: a scenario verifies an address against the sandbox's DNS server, gets the outcome
/// to route on, and the next run reuses the stored result.
@Suite struct VerifyEmailModuleTests {
    @Test(arguments: TestDatabases.kinds)
    func aScenarioGetsTheOutcomeAndTheStoredResultIsReused(_ kind: SQLDialectKind) async throws {
        let dns = try await DNSFake.start()
        do {
            try await check(kind, dnsPort: dns.port)
        } catch {
            await dns.stop()
            throw error
        }
        await dns.stop()
    }

    func check(_ kind: SQLDialectKind, dnsPort: Int) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let app = AppRoot.testing(database) { $0.dnsServer = DNSServerAddress("127.0.0.1:\(dnsPort)") }
            let workspace = try await app.stores.workspaces.findOrCreate(slug: "default").id
            let blueprint = #"""
                {"name": "Verify", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                  {"id": 2, "module": "leadgen:VerifyEmail", "version": 1, "mapper": {"email": "{{1.email}}"}}]}
                """#
            let imported = try await app.scenarios.importBlueprint(
                Data(blueprint.utf8), name: nil, enabled: true, in: workspace)
            #expect(imported.problems.isEmpty)
            for email in ["alan@nullmx.example", "alan@nullmx.example", "not an address", ""] {
                _ = try await app.scenarios.start(
                    imported.scenario, trigger: "webhook", bundles: [.object(["email": .string(email)])])
                _ = try await app.worker.drain()  // one run after the other: the second finds the first's result
            }
            let runs = Array(try await app.scenarios.store.runs(of: imported.scenario.id).reversed())
            #expect(runs.count == 4)
            let outputs = try runs.map { run -> JSON? in
                let report = try JSON.parse(Data((run.report ?? "{}").utf8))
                return report["modules"]?["2"]?["outputs"]?.arrayValue?.first
            }
            #expect(outputs[0]?["outcome"] == .string("undeliverable"))
            #expect(outputs[0]?["reason"] == .string("null MX: the domain says it accepts no mail (RFC 7505)"))
            #expect(outputs[0]?["cached"] == .bool(false) && outputs[1]?["cached"] == .bool(true))
            #expect(outputs[2]?["outcome"] == .string("undeliverable"))
            #expect(outputs[2]?["reason"]?.stringValue?.hasPrefix("syntax") == true)
            #expect(runs[3].status != .success, "no address is the scenario's mistake, named")
            #expect(runs[3].error?.contains("email: an address is required") == true, "\(runs[3].error ?? "")")
            let stored = try await app.stores.emailVerifications.find(["alan@nullmx.example"], in: workspace)
            #expect(stored["alan@nullmx.example"]?.verification.outcome == .undeliverable)
        }
    }
}
