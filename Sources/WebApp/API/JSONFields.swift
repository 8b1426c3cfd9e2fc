import Foundation
import LeadgenCore

/// Reads the fields of a JSON request body one by one through a `JSONReader`, collecting every mistake
/// (unknown fields, wrong types, out-of-range values) so the client gets them all in one 422. Strings are
/// trimmed, and a blank one is no value.
struct JSONFields {
    let object: [String: JSON]
    /// The path of this object in the body ("query" for a nested filter), "" at the top.
    let path: String
    private var reader = JSONReader()

    init(_ object: [String: JSON], allowed: Set<String>, at path: String = "") {
        self.object = object
        self.path = path
        reader.rejectUnknownKeys(of: object, allowed: allowed, at: path)
    }

    /// Every mistake so far, as the problem's field errors.
    var errors: [Problem.FieldError] { reader.problems.map { .init(field: $0.path, message: $0.message) } }

    mutating func fail(_ field: String, _ message: String) { reader.fail(at(field), message) }

    /// Takes in the mistakes found reading a nested object.
    mutating func add(_ nested: JSONFields) { reader.add(nested.reader.problems) }

    mutating func string(_ name: String, required: Bool = false) -> String? {
        let value = object[name]
        if required, value == nil || value == .null {
            fail(name, "is required")
            return nil
        }
        guard let text = reader.string(value, at: at(name))?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text.isEmpty, required { fail(name, "must not be empty") }
        return text.isEmpty ? nil : text
    }

    /// An array of strings, or one string as a list of one.
    mutating func strings(_ name: String) -> [String]? {
        if case .string(let text)? = object[name] { return [text] }
        return reader.strings(object[name], at: at(name))
    }

    mutating func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        reader.number(object[name], at: at(name), in: range)
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        reader.integer(object[name], at: at(name), in: range)
    }

    mutating func bool(_ name: String) -> Bool? { reader.bool(object[name], at: at(name)) }

    mutating func object(_ name: String) -> [String: JSON]? { reader.object(object[name], at: at(name)) }

    /// Throws the collected mistakes as one 422.
    func check() throws {
        guard reader.problems.isEmpty else { throw Problem.invalid(errors) }
    }

    private func at(_ name: String) -> String { JSONReader.path(path, name) }
}
