import Foundation

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

    /// Time-ordered UUIDs (RFC 9562 version 7), so newer rows sort after older ones.
    public static let uuidV7 = IDGenerator {
        var bytes = UUID().uuid
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        withUnsafeMutableBytes(of: &bytes) { raw in
            for i in 0..<6 { raw[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
            raw[6] = 0x70 | (raw[6] & 0x0F)
            raw[8] = 0x80 | (raw[8] & 0x3F)
        }
        return UUID(uuid: bytes).uuidString.lowercased()
    }
}
