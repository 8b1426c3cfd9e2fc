import Foundation
import LeadgenCore
import Synchronization
import Testing

@testable import Automation

/// Module executions with effects go through the run's ledger: a repeated run replays what was done and
/// never repeats a call whose outcome is unknown.
@Suite struct EffectLedgerTests {
    /// Counts its calls and outputs the call number; refuses when told to.
    final class Sender: NativeModule, @unchecked Sendable {
        let calls = Mutex(0)
        var failure: ModuleError?
        var hasEffects: Bool { true }

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let n = calls.withLock { value -> Int in
                value += 1
                return value
            }
            if let failure { throw failure }
            return [.object(["call": .int(n), "to": input.mapper["to"] ?? .null])]
        }
    }

    actor MemoryLedger: EffectLedger {
        var entries: [String: EffectState] = [:]

        func begin(_ key: String) async throws -> EffectState {
            if let entry = entries[key] { return entry == .new ? .unknown : entry }
            entries[key] = .new
            return .new
        }
        func finish(_ key: String, outputs: [JSON]) async throws { entries[key] = .done(outputs) }
        func abandon(_ key: String) async throws { entries[key] = nil }
        func set(_ key: String, _ state: EffectState) { entries[key] = state }
    }

    static let flow = try! Blueprint(
        data: Data(
            #"""
            {"name": "send", "flow": [
              {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
              {"id": 2, "module": "test:Send", "version": 1, "mapper": {"to": "{{1.to}}"},
               "onerror": [{"id": 9, "module": "builtin:Ignore", "version": 1}]},
              {"id": 3, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "sent", "value": "{{2.call}}"}}]}
            """#.utf8))
    static let trigger: [JSON] = [.object(["to": .string("a")]), .object(["to": .string("b")])]

    @Test func aRepeatedRunReplaysWhatWasDoneInsteadOfDoingItAgain() async throws {
        let sender = Sender()
        let runner = ScenarioRunner(modules: CoreModules.all(sleep: { _ in }).merging(["test:Send": sender]) { $1 })
        let ledger = MemoryLedger()
        let first = await runner.run(
            Self.flow, trigger: Self.trigger, state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(first.status == .success)
        #expect(sender.calls.withLock { $0 } == 2)
        let again = await runner.run(
            Self.flow, trigger: Self.trigger, state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(sender.calls.withLock { $0 } == 2, "nothing is sent twice")
        #expect(again.modules[3]?.outputs == first.modules[3]?.outputs, "the recorded outputs flow on")
    }

    @Test func aCallInterruptedBeforeItsOutcomeWasRecordedIsNotRepeated() async throws {
        let sender = Sender()
        let runner = ScenarioRunner(modules: CoreModules.all(sleep: { _ in }).merging(["test:Send": sender]) { $1 })
        let ledger = MemoryLedger()
        // A crash after the first bundle's call started, before it was recorded.
        await ledger.set("2:0", .new)
        let report = await runner.run(
            Self.flow, trigger: Self.trigger, state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(sender.calls.withLock { $0 } == 1, "only the second bundle is sent")
        #expect(report.modules[2]?.errors.first?.contains("may have taken effect") == true)
        #expect(report.modules[3]?.executions == 1)
    }

    @Test func aRefusedCallMayBeTriedAgainButAnUnknownOutcomeMayNot() async throws {
        let sender = Sender()
        let runner = ScenarioRunner(modules: CoreModules.all(sleep: { _ in }).merging(["test:Send": sender]) { $1 })
        let ledger = MemoryLedger()
        sender.failure = ModuleError("DataError", "refused")
        _ = await runner.run(
            Self.flow, trigger: [Self.trigger[0]],
            state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(await ledger.entries["2:0"] == nil, "a refusal leaves nothing behind")
        sender.failure = ModuleError("ConnectionError", "timed out")
        _ = await runner.run(
            Self.flow, trigger: [Self.trigger[0]],
            state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(await ledger.entries["2:0"] == .new, "a timeout stays unknown")
        sender.failure = nil
        let report = await runner.run(
            Self.flow, trigger: [Self.trigger[0]],
            state: RunState(executionID: "run-1", now: { Date() }, effects: ledger))
        #expect(sender.calls.withLock { $0 } == 2, "the unknown call is not made a third time")
        #expect(report.modules[3] == nil)
    }
}
