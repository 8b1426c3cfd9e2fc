import LeadgenCore

/// How much one run may do before it is stopped with an error: operations (Make counts one per module
/// execution), time from its start, and the bytes of the bundles it produces and keeps (its report holds
/// them, and bundles in flight are a part of them). A workspace may have its own (`leadgen scenario limits`).
public struct RunLimits: Sendable, Equatable, Codable {
    public var operations: Int
    public var seconds: Int
    public var bytes: Int

    public static let defaults = RunLimits(operations: 10_000, seconds: 300, bytes: 16 * 1024 * 1024)
    /// What an override may ask for at most: more would let one run hold a worker or its memory too long.
    public static let ceilings = RunLimits(operations: 1_000_000, seconds: 3600, bytes: 256 * 1024 * 1024)

    public init(operations: Int, seconds: Int, bytes: Int) {
        self.operations = operations
        self.seconds = seconds
        self.bytes = bytes
    }

    /// The limit a run went past, in words, or nil.
    func exceeded(operations done: Int, seconds elapsed: Double, bytes held: Int) -> String? {
        if done > operations { return "the run went past its limit of \(operations) operations" }
        if elapsed > Double(seconds) { return "the run went past its limit of \(seconds) seconds" }
        if held > bytes { return "the run's bundles went past their limit of \(bytes) bytes" }
        return nil
    }
}

extension JSON {
    /// About how many bytes the value takes as JSON text: what a run's bundles are measured by.
    var approximateSize: Int {
        switch self {
        case .null, .bool: 5
        case .int, .double: 12
        case .string(let text): text.utf8.count + 2
        case .array(let items): items.reduce(2) { $0 + $1.approximateSize + 1 }
        case .object(let fields): fields.reduce(2) { $0 + $1.key.utf8.count + 4 + $1.value.approximateSize }
        }
    }
}
