import Foundation

/// Tells the time; injected so tests can fix it.
public struct TimeSource: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    public static let system = TimeSource { Date() }
}
