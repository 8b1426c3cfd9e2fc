import Foundation
import LeadgenCore

/// What an expression can see: the outputs of the modules before it (by module id), scenario variables,
/// the time zone dates are shown in, and the clock.
public struct IMLContext: Sendable {
    public var outputs: [String: JSON]
    public var variables: [String: JSON]
    public var timeZone: TimeZone
    public var now: Date
    public var executionID: String

    public init(
        outputs: [String: JSON] = [:], variables: [String: JSON] = [:], timeZone: TimeZone = .gmt,
        now: Date, executionID: String = ""
    ) {
        self.outputs = outputs
        self.variables = variables
        self.timeZone = timeZone
        self.now = now
        self.executionID = executionID
    }
}

/// A failure while evaluating: a function given what it cannot use.
public struct IMLEvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
