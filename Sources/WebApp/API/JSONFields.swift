import Foundation
import LeadgenCore

/// Reads the fields of a JSON request body one by one, collecting every mistake (unknown fields, wrong
/// types, out-of-range values) so the client gets them all in one 422.
struct JSONFields {
    let object: [String: JSON]
    var errors: [Problem.FieldError] = []
    let prefix: String

    init(_ object: [String: JSON], allowed: Set<String>, prefix: String = "") {
        self.object = object
        self.prefix = prefix
        for key in object.keys.sorted() where !allowed.contains(key) {
            errors.append(.init(field: prefix + key, message: "unknown field"))
        }
    }

    mutating func fail(_ field: String, _ message: String) {
        errors.append(.init(field: prefix + field, message: message))
    }

    mutating func string(_ name: String, required: Bool = false) -> String? {
        switch object[name] {
        case nil, .null?:
            if required { fail(name, "is required") }
            return nil
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty && required { fail(name, "must not be empty") }
            return trimmed.isEmpty ? nil : trimmed
        case let other?:
            fail(name, "expected a string, got \(other.typeName)")
            return nil
        }
    }

    mutating func strings(_ name: String) -> [String]? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return [text]
        case .array(let items)?:
            var values: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    fail("\(name)[\(index)]", "expected a string, got \(item.typeName)")
                    continue
                }
                values.append(text)
            }
            return values
        case let other?:
            fail(name, "expected an array of strings, got \(other.typeName)")
            return nil
        }
    }

    mutating func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case let number? where number.numberValue != nil:
            let value = number.numberValue ?? 0
            guard range.contains(value) else {
                fail(
                    name, "expected a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
                return nil
            }
            return value
        case let other?:
            fail(name, "expected a number, got \(other.typeName)")
            return nil
        }
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = number(name, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard value == value.rounded() else {
            fail(name, "expected a whole number")
            return nil
        }
        return Int(value)
    }

    mutating func bool(_ name: String) -> Bool? {
        switch object[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?:
            fail(name, "expected true or false, got \(other.typeName)")
            return nil
        }
    }

    mutating func object(_ name: String) -> [String: JSON]? {
        switch object[name] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        case let other?:
            fail(name, "expected an object, got \(other.typeName)")
            return nil
        }
    }

    /// Throws the collected mistakes as one 422.
    func check() throws {
        guard errors.isEmpty else { throw Problem.invalid(errors) }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
