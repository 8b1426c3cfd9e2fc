import Foundation
import Synchronization
import Testing

@testable import Automation

/// A run stops with an error naming the limit it went past: operations, time, or bytes of bundles.
@Suite struct RunLimitsTests {
    let runner = ScenarioRunner(modules: CoreModules.all(sleep: { _ in }))

    func run(
        _ flow: String, limits: RunLimits, now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 0) }
    )
        async throws -> RunReport
    {
        let blueprint = try Blueprint(data: Data(#"{"name": "limits", "flow": \#(flow)}"#.utf8))
        return await runner.run(
            blueprint, trigger: [], state: RunState(executionID: "run-1", now: now, limits: limits))
    }

    static let loop = #"""
        [{"id": 1, "module": "builtin:BasicRepeater", "version": 1, "mapper": {"repeats": 10000}},
         {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.i}}"}}]
        """#

    @Test func aRunStopsPastItsOperations() async throws {
        let report = try await run(Self.loop, limits: RunLimits(operations: 50, seconds: 300, bytes: 1 << 24))
        #expect(report.status == .error)
        #expect(report.error == "the run went past its limit of 50 operations")
        #expect(report.operations <= 52)
    }

    @Test func theDefaultsAllowTenThousandOperations() async throws {
        #expect(RunLimits.defaults.operations == 10_000)
        let report = try await run(Self.loop, limits: .defaults)
        #expect(report.status == .error, "10,001 operations: the repeater's one and ten thousand more")
        #expect(report.error == "the run went past its limit of 10000 operations")
    }

    @Test func aRunStopsPastItsTime() async throws {
        // Each reading of the clock is ten seconds later.
        let ticks = Mutex(0)
        let report = try await run(
            Self.loop, limits: RunLimits(operations: 1_000_000, seconds: 300, bytes: 1 << 24),
            now: {
                Date(
                    timeIntervalSince1970: Double(
                        ticks.withLock {
                            $0 += 1; return $0
                        }) * 10)
            })
        #expect(report.status == .error)
        #expect(report.error == "the run went past its limit of 300 seconds")
    }

    @Test func aRunStopsPastItsBytes() async throws {
        let text = String(repeating: "x", count: 20_000)
        let flow = #"""
            [{"id": 1, "module": "builtin:BasicRepeater", "version": 1, "mapper": {"repeats": 100}},
             {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.i}}\#(text)"}}]
            """#
        let report = try await run(flow, limits: RunLimits(operations: 10_000, seconds: 300, bytes: 1_000_000))
        #expect(report.status == .error)
        #expect(report.error == "the run's bundles went past their limit of 1000000 bytes")
    }
}
