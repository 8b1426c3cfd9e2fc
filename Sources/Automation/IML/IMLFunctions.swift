import Foundation
import LeadgenCore

/// Make's functions (docs/reference/make.md §3): general, text, math, date and array.
enum IMLFunctions {
    typealias Values = IMLValues

    /// Every function the evaluator knows, for documentation and validation.
    static let names: Set<String> = [
        "if", "ifempty", "switch", "get", "pick", "omit", "mergeCollections", "equal",
        "length", "lower", "upper", "capitalize", "startcase", "trim", "replace", "substring", "indexOf", "split",
        "contains", "toString", "base64", "md5", "sha1", "sha256", "sha512", "encodeURL", "decodeURL", "escapeHTML",
        "stripHTML", "escapeMarkdown", "ascii", "round", "ceil", "floor", "trunc", "abs", "min", "max", "sum",
        "average", "median", "parseNumber", "formatNumber", "formatDate", "parseDate", "addSeconds", "addMinutes",
        "addHours", "addDays", "addMonths", "addYears", "setSecond", "setMinute", "setHour", "setDate", "setMonth",
        "setYear", "setDay", "dateDifference", "first", "last", "join", "slice", "merge", "add", "remove", "map",
        "sort", "reverse", "flatten", "distinct", "deduplicate", "keys", "toArray", "toCollection",
    ]

    static func call(
        _ name: String, _ arguments: [IMLExpression], raw: [String], evaluator: IMLEvaluator
    ) throws(IMLEvaluationError) -> JSON {
        guard names.contains(name) else { throw IMLEvaluationError(message: "unknown function \(name)") }
        /// An argument's value; bare words that cannot be evaluated (`YYYY-MM-DD`) are their text.
        func argument(_ index: Int) throws(IMLEvaluationError) -> JSON {
            do throws(IMLEvaluationError) {
                return try evaluator.evaluate(arguments[index])
            } catch {
                guard isPlainText(arguments[index]), index < raw.count else { throw error }
                return .string(raw[index])
            }
        }
        // The conditional functions evaluate only the branch they return.
        switch name {
        case "if":
            try count(name, arguments, 2...3)
            let condition = Values.truthy(try argument(0))
            if condition { return try argument(1) }
            return arguments.count > 2 ? try argument(2) : .null
        case "ifempty":
            try count(name, arguments, 2...2)
            let value = try argument(0)
            return Values.isEmpty(value) ? try argument(1) : value
        case "switch":
            guard arguments.count >= 3 else { throw wrong(name, "an expression and value/result pairs") }
            let subject = try argument(0)
            var index = 1
            while index + 1 < arguments.count {
                if Values.equal(subject, try argument(index)) {
                    return try argument(index + 1)
                }
                index += 2
            }
            return index < arguments.count ? try argument(index) : .null
        default:
            break
        }
        var values: [JSON] = []
        for index in arguments.indices { values.append(try argument(index)) }
        return try apply(name, values, context: evaluator.context)
    }

    /// Bare words, literals and operators only: no reference, variable or call.
    static func isPlainText(_ expression: IMLExpression) -> Bool {
        switch expression {
        case .bareText, .literal: true
        case .negate(let inner): isPlainText(inner)
        case .binary(_, let left, let right): isPlainText(left) && isPlainText(right)
        case .path, .variable, .call: false
        }
    }

    static func count(_ name: String, _ arguments: [Any], _ range: ClosedRange<Int>) throws(IMLEvaluationError) {
        guard range.contains(arguments.count) else {
            let expected =
                range.lowerBound == range.upperBound
                ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            throw IMLEvaluationError(message: "\(name) takes \(expected) arguments, got \(arguments.count)")
        }
    }

    static func wrong(_ name: String, _ expected: String) -> IMLEvaluationError {
        IMLEvaluationError(message: "\(name) expects \(expected)")
    }

    static func number(_ name: String, _ value: JSON) throws(IMLEvaluationError) -> Double {
        guard let number = Values.number(value) else {
            throw IMLEvaluationError(message: "\(name) expects a number, got \(value.text)")
        }
        return number
    }

    /// A whole-number argument (an index, a count, an amount), rounded toward zero and clamped into `range`; NaN,
    /// infinities and text that is no number are an error, never a trap.
    static func integer(_ name: String, _ value: JSON, in range: ClosedRange<Int>) throws(IMLEvaluationError) -> Int {
        let number = try number(name, value)
        guard let whole = WholeNumber.clamped(number, to: range) else {
            throw IMLEvaluationError(message: "\(name) expects a finite number, got \(value.text)")
        }
        return whole
    }

    /// A whole-number argument that must lie in `range`: outside it is an error naming the range.
    static func integer(_ name: String, _ value: JSON, within range: ClosedRange<Int>, _ what: String)
        throws(IMLEvaluationError) -> Int
    {
        let number = try number(name, value)
        guard number.isFinite, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw IMLEvaluationError(
                message: "\(name) expects \(what) from \(range.lowerBound) to \(range.upperBound), got \(value.text)")
        }
        return Int(number.rounded(.towardZero))
    }

    static func date(_ name: String, _ value: JSON) throws(IMLEvaluationError) -> Date {
        guard let date = IMLDates.date(value) else {
            throw IMLEvaluationError(message: "\(name) expects a date, got \(value.text)")
        }
        return date
    }

    static func array(_ value: JSON) -> [JSON] {
        switch value {
        case .array(let items): items
        case .null: []
        default: [value]  // array ← scalar gives [scalar] (docs/reference/make.md §3, type coercion)
        }
    }

    static func zone(_ value: JSON?, _ context: IMLContext) -> TimeZone {
        value.flatMap { $0.stringValue }.flatMap(TimeZone.init(identifier:)) ?? context.timeZone
    }

    /// The longest text one function may return: past it, an expression that doubles its text in a loop
    /// stops with an error rather than taking the worker's memory.
    static let maxTextBytes = 16 * 1024 * 1024

    static func apply(_ name: String, _ v: [JSON], context: IMLContext) throws(IMLEvaluationError) -> JSON {
        let result = try dispatch(name, v, context: context)
        if case .string(let text) = result, text.utf8.count > maxTextBytes {
            throw IMLEvaluationError(
                message: "\(name) would return more than \(maxTextBytes / 1024 / 1024) MiB of text")
        }
        return result
    }

    static func dispatch(_ name: String, _ v: [JSON], context: IMLContext) throws(IMLEvaluationError) -> JSON {
        if let result = try general(name, v) { return result }
        if let result = try textFunction(name, v) { return result }
        if let result = try mathFunction(name, v) { return result }
        if let result = try dateFunction(name, v, context: context) { return result }
        if let result = try arrayFunction(name, v) { return result }
        throw IMLEvaluationError(message: "unknown function \(name)")
    }

    /// The `i`th argument as text, empty when missing.
    static func text(_ v: [JSON], _ i: Int) -> String { i < v.count ? Values.text(v[i]) : "" }

    /// get, pick, omit, mergeCollections, equal; nil for another name.
    static func general(_ name: String, _ v: [JSON]) throws(IMLEvaluationError) -> JSON? {
        switch name {
        case "get":
            try count(name, v, 2...2)
            return getPath(v[0], v[1])
        case "pick", "omit":
            guard case .object(let fields) = v.first ?? .null else { return .null }
            let keys = Set(v.dropFirst().flatMap { array($0).map(Values.text) })
            return .object(fields.filter { name == "pick" ? keys.contains($0.key) : !keys.contains($0.key) })
        case "mergeCollections":
            var merged: [String: JSON] = [:]
            for value in v { if case .object(let fields) = value { merged.merge(fields) { $1 } } }
            return .object(merged)
        case "equal":
            try count(name, v, 2...2)
            return .bool(Values.equal(v[0], v[1]))
        default: return nil
        }
    }

    /// `get(value; "a.b")` or `get(array; 2)`: a dot path with 1-based positions.
    static func getPath(_ value: JSON, _ path: JSON) -> JSON {
        if let position = path.intValue, case .array(let items) = value {
            return position >= 1 && position <= items.count ? items[position - 1] : .null
        }
        var current = value
        for part in Values.text(path).split(separator: ".") {
            if case .array(let items) = current, let position = Int(part) {
                current = position >= 1 && position <= items.count ? items[position - 1] : .null
            } else if case .object(let fields) = current {
                current = fields[String(part)] ?? .null
            } else {
                return .null
            }
        }
        return current
    }

}
