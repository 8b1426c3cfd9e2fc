import Foundation
import LeadgenCore

/// Runs a blueprint's flow natively with Make's semantics (docs/reference/make.md §1.3, §4, §7): bundles flow
/// module by module; filters gate the link into a module; routers send each bundle down every route whose
/// filter passes, in order; a module that outputs several bundles (an iterator, a search) runs the rest of
/// the chain once per bundle, until an aggregator fed by it collects them; a module that fails runs its
/// error route and the directive at its end (Ignore, Resume, Break, Commit, Rollback).
public struct ScenarioRunner: Sendable {
    /// The native modules by "app:Module".
    public let modules: [String: any NativeModule]
    /// Modules that start a flow with the bundles a run is given (its webhook request, a platform event).
    public let triggers: Set<String>

    public init(modules: [String: any NativeModule], triggers: Set<String> = []) {
        self.modules = modules
        self.triggers = Self.webhookTriggers.union(triggers)
    }

    /// The trigger of webhook scenarios.
    public static let webhookTriggers: Set<String> = ["gateway:CustomWebHook"]
    /// Modules the runner itself implements.
    public static let builtins: Set<String> = [
        "builtin:BasicRouter", "builtin:BasicAggregator", "util:TextAggregator", "builtin:Ignore", "builtin:Resume",
        "builtin:Break", "builtin:Commit", "builtin:Rollback",
    ]

    /// Every module name this runner can run.
    public var supported: Set<String> { triggers.union(Self.builtins).union(modules.keys) }

    /// Runs the blueprint once. `trigger` holds the bundles its first module outputs (one per webhook
    /// request); they also stand in for a first module the engine cannot run (a vendor's watch trigger),
    /// and without them such a run is an error, never parked. A flow that starts with a module the engine
    /// runs ignores them and runs once with an empty bundle.
    public func run(_ blueprint: Blueprint, trigger: [JSON], state: RunState) async -> RunReport {
        let execution = Execution(runner: self, settings: blueprint.settings, state: state)
        return await complete(execution) {
            if let first = blueprint.flow.first, !supported.contains(first.module), trigger.isEmpty {
                throw Stop.rollback(
                    "the trigger \(first.module) (module \(first.id)) cannot run here: give the bundles it would "
                        + "output as the run's input")
            }
            if let first = blueprint.flow.first, triggers.contains(first.module) || !supported.contains(first.module) {
                execution.record(first, input: nil, outputs: trigger, operations: 1)
                for bundle in trigger {
                    try await execution.walk(blueprint.flow, 1, [String(first.id): bundle])
                }
            } else {
                try await execution.walk(blueprint.flow, 0, [:])
            }
        }
    }

    /// Runs an incomplete execution again: from the module it stopped at, with the outputs it had then.
    public func resume(
        _ blueprint: Blueprint, at moduleID: Int, outputs: [String: JSON], state: RunState
    ) async -> RunReport {
        let execution = Execution(runner: self, settings: blueprint.settings, state: state)
        return await complete(execution) {
            guard let (flow, index) = blueprint.locate(moduleID) else {
                throw Stop.rollback("module \(moduleID) is no longer in the scenario's flow")
            }
            try await execution.walk(flow, index, outputs)
        }
    }

    /// Walks with `body` and turns how it ended into the report's status.
    private func complete(_ execution: Execution, _ body: () async throws -> Void) async -> RunReport {
        do {
            try await body()
            execution.report.status = execution.report.incomplete.isEmpty ? .success : .warning
        } catch Stop.commit {
            execution.report.status = execution.report.incomplete.isEmpty ? .success : .warning
        } catch Stop.rollback(let message) {
            execution.report.status = .error
            execution.report.error = message
        } catch {
            execution.report.status = .error
            execution.report.error = "\(error)"
        }
        execution.report.response = execution.state.webhookResponse
        return execution.report
    }

    enum Stop: Error {
        case commit
        case rollback(String)
    }
}

/// The state of one run while it walks the flow.
final class Execution {
    let runner: ScenarioRunner
    let settings: ScenarioSettings
    let state: RunState
    var report = RunReport()
    /// Executions so far of each module with effects: the position part of their ledger keys.
    var effectCounts: [Int: Int] = [:]
    /// About how many bytes of bundles the run has produced and kept: what its byte limit is checked against.
    var heldBytes = 0

    init(runner: ScenarioRunner, settings: ScenarioSettings, state: RunState) {
        self.runner = runner
        self.settings = settings
        self.state = state
    }

    /// Where an error route came from, for the directive at its end.
    struct Failure {
        var module: BlueprintModule
        var flow: [BlueprintModule]
        var index: Int
        /// The outputs before the failed module ran.
        var outputs: [String: JSON]
        var error: ModuleError
    }

    /// Bundles that reach the aggregator at `index` of `flow` while a feeder's bundles are walked.
    final class Collector {
        let flow: [BlueprintModule]
        let index: Int
        var reached: [[String: JSON]] = []
        init(flow: [BlueprintModule], index: Int) {
            self.flow = flow
            self.index = index
        }
    }

    func evaluator(_ outputs: [String: JSON]) -> IMLEvaluator {
        IMLEvaluator(
            context: IMLContext(
                outputs: outputs, variables: ["scenario": .object(["executionId": .string(state.executionID)])],
                timeZone: state.timeZone, now: state.now(), executionID: state.executionID))
    }

    /// Stops the run when it went past one of its limits.
    func checkLimits() throws {
        let elapsed = state.now().timeIntervalSince(state.startedAt)
        if let exceeded = state.limits.exceeded(operations: report.operations, seconds: elapsed, bytes: heldBytes) {
            throw ScenarioRunner.Stop.rollback(exceeded)
        }
    }

    func record(_ module: BlueprintModule, input: JSON?, outputs: [JSON], operations: Int) {
        heldBytes += outputs.reduce(input?.approximateSize ?? 0) { $0 + $1.approximateSize }
        var trace = report.modules[module.id] ?? RunReport.ModuleTrace(module: module.module)
        trace.executions += 1
        trace.operations += operations
        if !settings.confidential {
            if let input { trace.inputs.append(input) }
            trace.outputs.append(contentsOf: outputs)
        }
        report.modules[module.id] = trace
        report.operations += operations
    }

    /// Runs `flow` from `index` for one bundle whose ancestors' outputs are `outputs`.
    func walk(
        _ flow: [BlueprintModule], _ index: Int, _ outputs: [String: JSON], failure: Failure? = nil,
        collector: Collector? = nil
    ) async throws {
        try checkLimits()
        guard index < flow.count else { return }
        if let collector, collector.flow == flow, collector.index == index {
            collector.reached.append(outputs)
            return
        }
        let module = flow[index]
        if let conditions = module.filter?["conditions"] {
            let passes: Bool
            do { passes = try IMLFilter.passes(conditions, evaluator: evaluator(outputs)) } catch {
                throw ScenarioRunner.Stop.rollback("module \(module.id) (\(module.module)): filter: \(error)")
            }
            guard passes else { return }
        }
        switch module.module {
        case "builtin:BasicRouter":
            record(module, input: nil, outputs: [], operations: 0)
            for route in module.routes ?? [] where !route.isDisabled {
                try await walk(route.flow, 0, outputs, failure: failure, collector: collector)
            }
            return
        case "builtin:Ignore", "builtin:Resume", "builtin:Break", "builtin:Commit", "builtin:Rollback":
            try await directive(module, outputs, failure)
            return
        case "builtin:BasicAggregator", "util:TextAggregator":
            // Reached outside its feeder's loop: it aggregates this one bundle.
            let bundles = try aggregate(module, [outputs])
            for bundle in bundles {
                var next = outputs
                next[String(module.id)] = bundle
                try await walk(flow, index + 1, next, failure: failure, collector: collector)
            }
            return
        default:
            break
        }
        let bundles: [JSON]
        do {
            bundles = try await execute(module, outputs)
        } catch let error as ModuleError {
            try await handle(
                Failure(module: module, flow: flow, index: index, outputs: outputs, error: error), collector: collector)
            return
        }
        if let aggregatorIndex = flow.indices.first(where: {
            $0 > index && Self.isAggregator(flow[$0]) && flow[$0].parameters?["feeder"]?.intValue == module.id
        }) {
            let inner = Collector(flow: flow, index: aggregatorIndex)
            for bundle in bundles {
                var next = outputs
                next[String(module.id)] = bundle
                try await walk(flow, index + 1, next, failure: failure, collector: inner)
            }
            let aggregator = flow[aggregatorIndex]
            for bundle in try aggregate(aggregator, inner.reached) {
                var next = outputs
                next[String(aggregator.id)] = bundle
                try await walk(flow, aggregatorIndex + 1, next, failure: failure, collector: collector)
            }
            return
        }
        for bundle in bundles {
            var next = outputs
            next[String(module.id)] = bundle
            try await walk(flow, index + 1, next, failure: failure, collector: collector)
        }
    }

    static func isAggregator(_ module: BlueprintModule) -> Bool {
        module.module == "builtin:BasicAggregator" || module.module == "util:TextAggregator"
    }

    /// Evaluates the mapper and runs a native module: one operation.
    func execute(_ module: BlueprintModule, _ outputs: [String: JSON]) async throws -> [JSON] {
        let mapper: JSON
        do {
            mapper = try evaluator(outputs).evaluateMapper(module.mapper ?? .object([:]))
        } catch {
            record(module, input: nil, outputs: [], operations: 1)
            throw ModuleError("DataError", "mapping: \(error)")
        }
        guard let native = runner.modules[module.module] else {
            record(module, input: mapper, outputs: [], operations: 0)
            throw ModuleError("InvalidConfigurationError", "the engine has no native \(module.module)")
        }
        do {
            let input = ModuleInput(
                module: module, mapper: mapper, parameters: module.parameters ?? .object([:]), run: state)
            let bundles = try await native.hasEffects ? runWithLedger(native, input) : native.run(input)
            record(module, input: mapper, outputs: bundles, operations: 1)
            return bundles
        } catch let error as ModuleError {
            record(module, input: mapper, outputs: [], operations: 1)
            throw error
        } catch {
            record(module, input: mapper, outputs: [], operations: 1)
            throw ModuleError("RuntimeError", "\(error)")
        }
    }

    /// Runs a module with effects through the ledger: done before → its recorded outputs; started and never
    /// finished → an error (it may have happened, so it is not repeated) unless making it twice changes
    /// nothing; new → run and recorded. Modules
    /// report an outcome they cannot know (a timeout, a 5xx) as a ConnectionError.
    func runWithLedger(_ native: any NativeModule, _ input: ModuleInput) async throws -> [JSON] {
        let id = input.module.id
        let nth = effectCounts[id, default: 0]
        effectCounts[id] = nth + 1
        let key = "\(id):\(nth)"
        switch try await state.effects.begin(key) {
        case .done(let outputs):
            return outputs
        case .unknown where !native.isRepeatable(input):
            throw ModuleError(
                "RuntimeError",
                "an earlier attempt of this run was interrupted during this call, which may have taken effect; "
                    + "it is not repeated")
        case .new, .unknown:
            let outputs: [JSON]
            do {
                outputs = try await native.run(input)
            } catch let error as ModuleError where error.type != "ConnectionError" {
                // Refused (a 4xx, bad data): nothing happened, so a later attempt may try again. A
                // connection error (a timeout, a 5xx) leaves the call's outcome unknown, and it stays so.
                try await state.effects.abandon(key)
                throw error
            }
            try await state.effects.finish(key, outputs: outputs)
            return outputs
        }
    }

    /// The aggregator's output bundles: one, or one per `flags.groupBy` value.
    func aggregate(_ module: BlueprintModule, _ reached: [[String: JSON]]) throws -> [JSON] {
        var groups: [(key: JSON, items: [JSON])] = []
        for outputs in reached {
            let evaluator = self.evaluator(outputs)
            let item: JSON
            let key: JSON
            do {
                item = try evaluator.evaluateMapper(module.mapper ?? .object([:]))
                key = try module.flags?["groupBy"].map { try evaluator.evaluateMapper($0) } ?? .null
            } catch {
                throw ScenarioRunner.Stop.rollback("module \(module.id) (\(module.module)): mapping: \(error)")
            }
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].items.append(item)
            } else {
                groups.append((key, [item]))
            }
        }
        if groups.isEmpty {
            if module.flags?["stopIfEmpty"] == .bool(true) { return [] }
            groups = [(.null, [])]
        }
        let bundles: [JSON] = groups.map { group in
            var bundle: [String: JSON]
            if module.module == "util:TextAggregator" {
                let separator = Self.rowSeparator(module.parameters)
                bundle = [
                    "text": .string(group.items.map { IMLValues.text($0["value"] ?? $0) }.joined(separator: separator))
                ]
            } else {
                bundle = ["array": .array(group.items), "__IMTAGGLENGTH__": .int(group.items.count)]
            }
            if module.flags?["groupBy"] != nil { bundle["__IMTKEY__"] = group.key }
            return .object(bundle)
        }
        record(module, input: nil, outputs: bundles, operations: bundles.count)
        return bundles
    }

    static func rowSeparator(_ parameters: JSON?) -> String {
        switch parameters?["rowSeparator"]?.stringValue {
        case "\t": "\t"
        case "other": parameters?["otherRowSeparator"]?.stringValue ?? ""
        case let separator?: separator
        default: "\n"
        }
    }

    /// A module failed: run its error route, or with none, roll back (or park the bundle when incomplete
    /// executions are allowed).
    func handle(_ failure: Failure, collector: Collector?) async throws {
        let message = "module \(failure.module.id) (\(failure.module.module)): \(failure.error.message)"
        var trace = report.modules[failure.module.id] ?? RunReport.ModuleTrace(module: failure.module.module)
        trace.errors.append(failure.error.message)
        report.modules[failure.module.id] = trace
        guard let route = failure.module.onerror, !route.isEmpty else {
            if settings.dlq {
                park(failure, retry: false, attempts: 0, interval: 0)
                return
            }
            throw ScenarioRunner.Stop.rollback(message)
        }
        var outputs = failure.outputs
        outputs[String(failure.module.id)] = .object([
            "error": .object([
                "message": .string(failure.error.message), "type": .string(failure.error.type),
                "name": .string(failure.error.type),
            ])
        ])
        // A route that ends without a directive drops the error, as Ignore does (inferred).
        try await walk(route, 0, outputs, failure: failure, collector: collector)
    }

    func directive(_ module: BlueprintModule, _ outputs: [String: JSON], _ failure: Failure?) async throws {
        record(module, input: nil, outputs: [], operations: 0)
        guard let failure else { return }
        switch module.module {
        case "builtin:Resume":
            // The mapper stands in for the failed module's output (inferred: the sample has no mapper).
            let substitute = (try? evaluator(outputs).evaluateMapper(module.mapper ?? .object([:]))) ?? .object([:])
            var next = failure.outputs
            next[String(failure.module.id)] = substitute
            try await walk(failure.flow, failure.index + 1, next)
        case "builtin:Break":
            let mapper = (try? evaluator(outputs).evaluateMapper(module.mapper ?? .object([:]))) ?? .object([:])
            park(
                failure, retry: IMLValues.truthy(mapper["retry"] ?? .bool(false)),
                attempts: mapper["count"]?.intValue ?? 3, interval: mapper["interval"]?.intValue ?? 15)
        case "builtin:Commit":
            throw ScenarioRunner.Stop.commit
        case "builtin:Rollback":
            throw ScenarioRunner.Stop.rollback(
                "module \(failure.module.id) (\(failure.module.module)): \(failure.error.message)")
        default:
            return  // Ignore: this bundle stops, the others go on.
        }
    }

    func park(_ failure: Failure, retry: Bool, attempts: Int, interval: Int) {
        report.incomplete.append(
            RunReport.Incomplete(
                moduleID: failure.module.id, outputs: failure.outputs, error: failure.error.message, retry: retry,
                attempts: attempts, interval: interval))
    }
}
