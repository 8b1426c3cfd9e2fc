import Foundation
import LeadgenCore

/// What one run did (Make's execution inspector): status, operations, the webhook response, and per module
/// its executions with their input and output bundles (unless the scenario is confidential).
public struct RunReport: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case success
        /// Finished, with part of the work parked as incomplete executions (`builtin:Break`).
        case warning
        case error
    }

    public struct ModuleTrace: Sendable, Equatable {
        public var module: String
        public var executions = 0
        public var operations = 0
        public var inputs: [JSON] = []
        public var outputs: [JSON] = []
        public var errors: [String] = []
    }

    /// A bundle parked by `builtin:Break` or by an error with incomplete executions allowed: the module it
    /// stopped at and the outputs it had, to run again later.
    public struct Incomplete: Sendable, Equatable {
        public var moduleID: Int
        public var outputs: [String: JSON]
        public var error: String
        public var retry: Bool
        public var attempts: Int
        /// Minutes between attempts.
        public var interval: Int
    }

    public var status: Status = .success
    public var operations = 0
    public var response: WebhookResponse?
    public var modules: [Int: ModuleTrace] = [:]
    public var incomplete: [Incomplete] = []
    public var error: String?

    public init() {}

    /// A run that failed before its flow started.
    public static func failed(_ message: String) -> RunReport {
        var report = RunReport()
        report.status = .error
        report.error = message
        return report
    }

    /// The report as the CLI prints it.
    public var json: JSON {
        var object: [String: JSON] = ["status": .string(status.rawValue), "operations": .int(operations)]
        if let response {
            object["response"] = .object([
                "status": .int(response.status), "headers": .object(response.headers.mapValues { .string($0) }),
                "body": .string(response.body),
            ])
        }
        if let error { object["error"] = .string(error) }
        object["modules"] = .object(
            Dictionary(
                uniqueKeysWithValues: modules.map { id, trace in
                    var entry: [String: JSON] = [
                        "module": .string(trace.module), "executions": .int(trace.executions),
                        "operations": .int(trace.operations), "outputs": .array(trace.outputs),
                        "inputs": .array(trace.inputs),
                    ]
                    if !trace.errors.isEmpty { entry["errors"] = .array(trace.errors.map { .string($0) }) }
                    return (String(id), JSON.object(entry))
                }))
        if !incomplete.isEmpty {
            object["incomplete"] = .array(
                incomplete.map {
                    .object([
                        "module_id": .int($0.moduleID), "error": .string($0.error), "retry": .bool($0.retry),
                        "attempts": .int($0.attempts), "interval_minutes": .int($0.interval),
                    ])
                })
        }
        return .object(object)
    }
}
