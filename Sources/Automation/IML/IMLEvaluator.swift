import Foundation
import LeadgenCore

/// Evaluates IML with Make's semantics: 1-based indexes, `;`-separated arguments, empty values that
/// disappear (`ignore`), booleans coerced as Make coerces them.
public struct IMLEvaluator: Sendable {
    public var context: IMLContext

    public init(context: IMLContext) {
        self.context = context
    }

    /// A mapper string's value: one `{{expr}}` keeps its type, mixed text gives text.
    public func evaluate(_ template: IMLTemplate) throws(IMLEvaluationError) -> JSON {
        if template.isSingleExpression, case .expression(let expression) = template.parts[0] {
            return try evaluate(expression)
        }
        var text = ""
        for part in template.parts {
            switch part {
            case .text(let literal): text += literal
            case .expression(let expression): text += IMLValues.text(try evaluate(expression))
            }
        }
        return .string(text)
    }

    /// Evaluates a mapper value: strings are templates; arrays and objects are evaluated inside.
    public func evaluateMapper(_ value: JSON) throws -> JSON {
        switch value {
        case .string(let text):
            guard text.contains("{{") else { return value }
            return try evaluate(try IMLTemplate(parsing: text))
        case .array(let items): return .array(try items.map(evaluateMapper))
        case .object(let fields): return .object(try fields.mapValues(evaluateMapper))
        default: return value
        }
    }

    public func evaluate(_ expression: IMLExpression) throws(IMLEvaluationError) -> JSON {
        switch expression {
        case .literal(let value): return value
        case .bareText(let text): return .string(text)
        case .path(let path): return resolve(path)
        case .variable(let name): return variable(name)
        case .negate(let inner):
            guard let number = IMLValues.number(try evaluate(inner)) else {
                throw IMLEvaluationError(message: "'-' needs a number")
            }
            return IMLValues.json(-number)
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left), right)
        case .call(let name, let arguments, let raw):
            return try IMLFunctions.call(name, arguments, raw: raw, evaluator: self)
        }
    }

    func variable(_ name: String) -> JSON {
        switch name {
        case "now": .string(IMLDates.iso(context.now))
        case "timestamp": .int(Int(context.now.timeIntervalSince1970))
        case "uuid": .string(UUID().uuidString.lowercased())
        case "random": .double(Double.random(in: 0..<1))
        case "pi": .double(Double.pi)
        case "executionId": .string(context.executionID)
        default: .null  // ignore, erase: no value
        }
    }

    func resolve(_ path: IMLPath) -> JSON {
        let base: JSON
        if path.root == "var" {
            base = .object(context.variables)
        } else {
            base = context.outputs[path.root] ?? .null
        }
        return IMLValues.walk(base, path.segments[...])
    }

    func binary(_ op: IMLOperator, _ left: JSON, _ rightExpression: IMLExpression) throws(IMLEvaluationError) -> JSON {
        // `&` and `|` look at the right side only when they must.
        switch op {
        case .and:
            guard IMLValues.truthy(left) else { return .bool(false) }
            return .bool(IMLValues.truthy(try evaluate(rightExpression)))
        case .or:
            guard !IMLValues.truthy(left) else { return .bool(true) }
            return .bool(IMLValues.truthy(try evaluate(rightExpression)))
        default: break
        }
        let right = try evaluate(rightExpression)
        switch op {
        case .equal: return .bool(IMLValues.equal(left, right))
        case .notEqual: return .bool(!IMLValues.equal(left, right))
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let order = IMLValues.compare(left, right) else { return .bool(false) }
            switch op {
            case .less: return .bool(order < 0)
            case .greater: return .bool(order > 0)
            case .lessOrEqual: return .bool(order <= 0)
            default: return .bool(order >= 0)
            }
        case .plus:
            if let a = IMLValues.number(left), let b = IMLValues.number(right) { return IMLValues.json(a + b) }
            return .string(IMLValues.text(left) + IMLValues.text(right))
        case .minus, .times, .divide, .remainder:
            guard let a = IMLValues.number(left), let b = IMLValues.number(right) else {
                throw IMLEvaluationError(message: "'\(op.rawValue)' needs numbers, got \(left.text) and \(right.text)")
            }
            switch op {
            case .minus: return IMLValues.json(a - b)
            case .times: return IMLValues.json(a * b)
            case .divide:
                guard b != 0 else { throw IMLEvaluationError(message: "division by zero") }
                return IMLValues.json(a / b)
            default:
                guard b != 0 else { throw IMLEvaluationError(message: "division by zero") }
                return IMLValues.json(a.truncatingRemainder(dividingBy: b))
            }
        case .and, .or: return .null
        }
    }
}

/// Make's value rules: text forms, numbers, truthiness, equality, empty values.
public enum IMLValues {
    /// How a value reads in text: numbers without a trailing ".0", arrays joined with ", " (inferred),
    /// objects as JSON, null as nothing.
    public static func text(_ value: JSON) -> String {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): format(d)
        case .string(let s): s
        case .array(let items): items.map(text).joined(separator: ", ")
        case .object: value.text
        }
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    public static func number(_ value: JSON) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    /// An integer result stays an integer.
    static func json(_ number: Double) -> JSON {
        if number == number.rounded(), abs(number) < 9e15 { return .int(Int(number)) }
        return .double(number)
    }

    /// Make's boolean coercion (docs/reference/make.md §3): a number is always true, even 0; text is false when empty
    /// or "false"; null is false; anything else is true.
    public static func truthy(_ value: JSON) -> Bool {
        switch value {
        case .null: false
        case .bool(let b): b
        case .int, .double: true
        case .string(let s): !(s.isEmpty || s == "false")
        case .array, .object: true
        }
    }

    /// Empty as `ifempty` sees it: null, "" or an empty array.
    public static func isEmpty(_ value: JSON) -> Bool {
        switch value {
        case .null: true
        case .string(let s): s.isEmpty
        case .array(let a): a.isEmpty
        default: false
        }
    }

    /// Equality across types: numbers by value, else text.
    public static func equal(_ a: JSON, _ b: JSON) -> Bool {
        if case .null = a { return isEmpty(b) }
        if case .null = b { return isEmpty(a) }
        if let x = number(a), let y = number(b), !(isText(a) && isText(b)) { return x == y }
        if case .array = a { return a == b }
        if case .object = a { return a == b }
        return text(a) == text(b)
    }

    static func isText(_ value: JSON) -> Bool { if case .string = value { true } else { false } }

    /// Numbers by value, dates by time, else text; nil when they cannot be ordered.
    public static func compare(_ a: JSON, _ b: JSON) -> Int? {
        if let x = number(a), let y = number(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        if let x = IMLDates.date(a), let y = IMLDates.date(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        let x = text(a)
        let y = text(b)
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    /// Follows a path's segments into a value; `[]` maps the rest over an array.
    static func walk(_ value: JSON, _ segments: ArraySlice<IMLPath.Segment>) -> JSON {
        guard let segment = segments.first else { return value }
        let rest = segments.dropFirst()
        switch segment {
        case .key(let key):
            switch value {
            case .object(let fields): return walk(fields[key] ?? .null, rest)
            case .array(let items):
                // A key on an array reads it from each element, as `items[].key` does.
                return .array(items.map { walk($0, segments) })
            default: return .null
            }
        case .index(let position):
            guard case .array(let items) = value, position >= 1, position <= items.count else { return .null }
            return walk(items[position - 1], rest)
        case .each:
            guard case .array(let items) = value else { return .null }
            return .array(items.map { walk($0, rest) })
        }
    }
}
