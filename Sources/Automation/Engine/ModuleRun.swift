import Foundation
import LeadgenCore

/// What a native module gets: its blueprint entry, its mapper evaluated for the bundle at hand, and the
/// run's shared state.
public struct ModuleInput: Sendable {
    public var module: BlueprintModule
    /// The mapper with every `{{…}}` evaluated.
    public var mapper: JSON
    public var parameters: JSON
    public var run: RunState
}

/// A module Leadgen runs natively. It returns the bundles it outputs (none stops the path).
public protocol NativeModule: Sendable {
    func run(_ input: ModuleInput) async throws -> [JSON]
    /// Whether it acts on the outside world (sends a request, a message): such executions go through the
    /// run's effect ledger so that a repeated run never repeats them.
    var hasEffects: Bool { get }
    /// Whether this execution's effect may be made again when an interrupted attempt left its outcome
    /// unknown, because making it twice changes nothing (an upsert, a GET, a PUT).
    func isRepeatable(_ input: ModuleInput) -> Bool
}

extension NativeModule {
    public var hasEffects: Bool { false }
    public func isRepeatable(_ input: ModuleInput) -> Bool { false }
}

/// A failure inside a module, as an error handler sees it at `{{id.error.message}}`.
public struct ModuleError: Error, Sendable, CustomStringConvertible {
    /// Make's error types: RuntimeError, DataError, ConnectionError, RateLimitError, InvalidConfigurationError.
    public var type: String
    public var message: String

    public init(_ type: String = "RuntimeError", _ message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "\(type): \(message)" }
}

/// State shared by the modules of one run: variables, the webhook response, and the run's clock.
/// Sendable because its only mutable fields, `variables` and `response`, are read and written under `lock`.
public final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var variables: [String: JSON] = [:]
    private var response: WebhookResponse?
    public let executionID: String
    public let timeZone: TimeZone
    /// The workspace the scenario belongs to, for modules that read or write its data (nil in a one-off run).
    public let workspaceID: String?
    /// Where executions of modules with effects are recorded.
    public let effects: any EffectLedger

    /// The run's clock: what `now` means to its expressions, and what its time limit is measured by.
    public let now: @Sendable () -> Date
    public let startedAt: Date
    /// How much the run may do before it is stopped.
    public let limits: RunLimits

    public init(
        executionID: String, now: @escaping @Sendable () -> Date, timeZone: TimeZone = .gmt,
        workspaceID: String? = nil, effects: any EffectLedger = NoEffectLedger(), limits: RunLimits = .defaults
    ) {
        self.executionID = executionID
        self.now = now
        startedAt = now()
        self.limits = limits
        self.timeZone = timeZone
        self.workspaceID = workspaceID
        self.effects = effects
    }

    public func setVariable(_ name: String, _ value: JSON) { lock.withLock { variables[name] = value } }
    public func variable(_ name: String) -> JSON { lock.withLock { variables[name] ?? .null } }

    /// The first response a `gateway:WebhookRespond` sets is the one sent.
    public func respond(_ value: WebhookResponse) { lock.withLock { if response == nil { response = value } } }
    public var webhookResponse: WebhookResponse? { lock.withLock { response } }
}

/// What a webhook scenario answers its caller.
public struct WebhookResponse: Sendable, Equatable, Codable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
}
