import Foundation
import Synchronization

/// A workspace: the tenant every lead, company, user and key belongs to.
public struct WorkspaceID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A lead's stable identifier.
public struct LeadID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A company's stable identifier.
public struct CompanyID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Makes identifiers; injected so tests can make them deterministic.
public struct IDGenerator: Sendable {
    private let make: @Sendable () -> String

    public init(_ make: @escaping @Sendable () -> String) { self.make = make }

    public func callAsFunction() -> String { make() }

    /// Time-ordered UUIDs (RFC 9562 version 7), so newer rows sort after older ones. Within one millisecond
    /// the 12 bits after the timestamp count up (RFC 9562 §6.2, method 1), so the ids a process makes are
    /// strictly increasing; another process's ids of the same millisecond interleave by chance.
    public static let uuidV7 = IDGenerator { UUIDv7Clock.shared.next() }
}

/// The state behind monotonic version 7 UUIDs: the last millisecond used and the counter within it.
final class UUIDv7Clock: Sendable {
    static let shared = UUIDv7Clock()
    private let state = Mutex<(millis: UInt64, counter: UInt16)>((0, 0))

    func next() -> String {
        var bytes = UUID().uuid
        let now = UInt64(max(0, TimeSource.system.now().timeIntervalSince1970 * 1000))
        let (millis, counter) = state.withLock { state -> (UInt64, UInt16) in
            if now > state.millis {
                // A fresh millisecond starts the counter at a random point in its lower half, leaving room.
                state = (now, UInt16.random(in: 0..<0x800))
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                // 4,096 ids in one millisecond: borrow the next one.
                state = (state.millis + 1, 0)
            }
            return (state.millis, state.counter)
        }
        withUnsafeMutableBytes(of: &bytes) { raw in
            for i in 0..<6 { raw[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
            raw[6] = 0x70 | UInt8(counter >> 8)
            raw[7] = UInt8(truncatingIfNeeded: counter)
            raw[8] = 0x80 | (raw[8] & 0x3F)
        }
        return UUID(uuid: bytes).uuidString.lowercased()
    }
}
