import Foundation
import LeadgenCore

/// Where a run records the module executions that act on the outside world (architecture decision 4), so a
/// run repeated after a crash neither repeats them nor loses what they returned. Keys are the module id and
/// how many times the run had executed that module before: a replay walks the flow in the same order, so
/// the same execution gets the same key.
public protocol EffectLedger: Sendable {
    /// Marks the execution as started; says whether it already happened (with its outputs), may have
    /// happened (started, never finished), or is new.
    func begin(_ key: String) async throws -> EffectState
    /// Records what a started execution returned.
    func finish(_ key: String, outputs: [JSON]) async throws
    /// Forgets a started execution that certainly did not take effect (it was refused), so a later
    /// attempt may make it.
    func abandon(_ key: String) async throws
}

public enum EffectState: Sendable, Equatable {
    case new
    case done([JSON])
    /// Started by an earlier attempt that stopped before recording its outcome.
    case unknown
}

/// A ledger that remembers nothing: one-off runs (`leadgen scenario run FILE`).
public struct NoEffectLedger: EffectLedger {
    public init() {}
    public func begin(_ key: String) async throws -> EffectState { .new }
    public func finish(_ key: String, outputs: [JSON]) async throws {}
    public func abandon(_ key: String) async throws {}
}
