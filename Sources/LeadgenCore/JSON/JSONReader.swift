/// A problem found reading a JSON document, named by its path (`steps[2].subject`, `company.domain`); the
/// empty path is the document itself.
public struct JSONProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads values out of a JSON document, collecting every problem with its path instead of stopping at the
/// first, so whoever wrote the document can fix them all at once. The API's request bodies, sequences and
/// blueprints are read with it.
///
/// Each method takes a value as found (nil when the key is absent) and its path. Absent and `null` read as
/// nil without a problem: whether a value is required is the caller's rule, said in its own words. A value
/// of the wrong type reads as nil and records "expected …, got …".
public struct JSONReader: Sendable {
    public private(set) var problems: [JSONProblem] = []

    public init() {}

    /// `base.key`, or `key` at the top.
    public static func path(_ base: String, _ key: String) -> String { base.isEmpty ? key : "\(base).\(key)" }

    /// `base[index]`.
    public static func path(_ base: String, _ index: Int) -> String { "\(base)[\(index)]" }

    public mutating func fail(_ path: String, _ message: String) {
        problems.append(JSONProblem(path: path, message: message))
    }

    /// Adds problems found by another reader, or elsewhere.
    public mutating func add(_ other: [JSONProblem]) { problems += other }

    /// A problem for each key of `object` outside `allowed`, in name order.
    public mutating func rejectUnknownKeys(
        of object: [String: JSON], allowed: Set<String>, at path: String, message: String = "unknown field"
    ) {
        for key in object.keys.sorted() where !allowed.contains(key) { fail(Self.path(path, key), message) }
    }

    public mutating func string(_ value: JSON?, at path: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?:
            mismatch(path, "a string", other)
            return nil
        }
    }

    /// An array of strings; an item of another type is a problem at its index, and the whole reads as nil.
    public mutating func strings(_ value: JSON?, at path: String) -> [String]? {
        guard let items = array(value, at: path, expected: "an array of strings") else { return nil }
        var texts: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                valid = false
                mismatch(Self.path(path, index), "a string", item)
                continue
            }
            texts.append(text)
        }
        return valid ? texts : nil
    }

    /// An object whose values are all strings; a value of another type is a problem at its key.
    public mutating func stringMap(_ value: JSON?, at path: String) -> [String: String]? {
        guard let object = object(value, at: path, expected: "an object of strings") else { return nil }
        var map: [String: String] = [:]
        for (key, item) in object {
            guard case .string(let text) = item else {
                mismatch(Self.path(path, key), "a string", item)
                continue
            }
            map[key] = text
        }
        return map
    }

    public mutating func number(_ value: JSON?, at path: String, in range: ClosedRange<Double>) -> Double? {
        switch value {
        case nil, .null?: return nil
        case let number? where number.numberValue != nil:
            let value = number.numberValue ?? 0
            guard range.contains(value) else {
                fail(
                    path, "expected a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
                return nil
            }
            return value
        case let other?:
            mismatch(path, "a number", other)
            return nil
        }
    }

    /// A whole number in `range` (`3` or `3.0`, not `"3"` or `3.5`).
    public mutating func integer(_ value: JSON?, at path: String, in range: ClosedRange<Int>) -> Int? {
        guard let number = number(value, at: path, in: Double(range.lowerBound)...Double(range.upperBound)) else {
            return nil
        }
        guard let whole = WholeNumber.exactly(number) else {
            fail(path, "expected a whole number")
            return nil
        }
        return whole
    }

    public mutating func bool(_ value: JSON?, at path: String) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?:
            mismatch(path, "true or false", other)
            return nil
        }
    }

    public mutating func object(_ value: JSON?, at path: String, expected: String = "an object") -> [String: JSON]? {
        switch value {
        case nil, .null?: return nil
        case .object(let object)?: return object
        case let other?:
            mismatch(path, expected, other)
            return nil
        }
    }

    public mutating func array(_ value: JSON?, at path: String, expected: String = "an array") -> [JSON]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?: return items
        case let other?:
            mismatch(path, expected, other)
            return nil
        }
    }

    private mutating func mismatch(_ path: String, _ expected: String, _ value: JSON) {
        fail(path, "expected \(expected), got \(value.typeName)")
    }

    static func format(_ value: Double) -> String {
        WholeNumber.exactly(value).map(String.init) ?? String(value)
    }
}
