import Foundation
import LeadgenCore

/// Make's filters (docs/reference/make.md §2): an OR of AND groups of `{a, o, b}` conditions, `a` and `b` in IML.
public enum IMLFilter {
    /// The operators Make's validator knows.
    public static let operators: Set<String> = {
        var all: Set<String> = ["exist", "notexist", "boolean:equal", "boolean:notequal"]
        for op in [
            "equal", "notequal", "contain", "notcontain", "startwith", "notstartwith", "endwith", "notendwith",
            "pattern", "notpattern",
        ] {
            all.insert("text:\(op)")
            all.insert("text:\(op):ci")
        }
        for kind in ["number", "date", "time", "semver", "array"] {
            for op in ["equal", "notequal", "greater", "less", "greaterorequal", "lessorequal"] {
                all.insert("\(kind):\(op)")
            }
        }
        for op in ["array:contain", "array:contain:ci", "array:notcontain", "array:notcontain:ci"] { all.insert(op) }
        return all
    }()

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Whether the conditions pass: any group whose conditions all pass. No conditions pass.
    public static func passes(_ conditions: JSON?, evaluator: IMLEvaluator) throws -> Bool {
        guard let conditions, case .array(let groups) = conditions, !groups.isEmpty else { return true }
        for (groupIndex, group) in groups.enumerated() {
            guard case .array(let items) = group else {
                throw Failure(message: "conditions[\(groupIndex)] must be an array of conditions")
            }
            var all = true
            for (index, item) in items.enumerated() {
                guard case .object(let condition) = item, let op = condition["o"]?.stringValue else {
                    throw Failure(message: "conditions[\(groupIndex)][\(index)] needs an operator \"o\"")
                }
                let a = try evaluator.evaluateMapper(condition["a"] ?? .null)
                let b = try evaluator.evaluateMapper(condition["b"] ?? .null)
                if try !check(a, op, b) {
                    all = false
                    break
                }
            }
            if all { return true }
        }
        return false
    }

    /// One condition.
    public static func check(_ a: JSON, _ op: String, _ b: JSON) throws -> Bool {
        guard operators.contains(op) else { throw Failure(message: "unknown filter operator \(op)") }
        if op == "exist" { return !IMLValues.isEmpty(a) }
        if op == "notexist" { return IMLValues.isEmpty(a) }
        let parts = op.split(separator: ":").map(String.init)
        let kind = parts[0]
        var name = parts[1]
        let caseInsensitive = parts.count > 2
        let negated = name.hasPrefix("not")
        if negated { name = String(name.dropFirst(3)) }
        let result: Bool
        switch kind {
        case "text":
            var x = IMLValues.text(a)
            var y = IMLValues.text(b)
            if caseInsensitive, name != "pattern" {
                x = x.lowercased()
                y = y.lowercased()
            }
            switch name {
            case "equal": result = x == y
            case "contain": result = x.contains(y)
            case "startwith": result = x.hasPrefix(y)
            case "endwith": result = x.hasSuffix(y)
            default:
                do {
                    result = try BoundedRegex(y, caseInsensitive: caseInsensitive).matches(x)
                } catch {
                    throw Failure(message: error.description)
                }
            }
        case "array":
            let items: [JSON] = if case .array(let values) = a { values } else { IMLValues.isEmpty(a) ? [] : [a] }
            if name == "contain" {
                result = items.contains { item in
                    caseInsensitive
                        ? IMLValues.text(item).lowercased() == IMLValues.text(b).lowercased() : IMLValues.equal(item, b)
                }
            } else {
                result = try ordered(Double(items.count), IMLValues.number(b), name)
            }
        case "number":
            guard let x = IMLValues.number(a), let y = IMLValues.number(b) else { return negated }
            result = try ordered(x, y, name)
        case "date":
            guard let x = IMLDates.date(a), let y = IMLDates.date(b) else { return negated }
            result = try ordered(x.timeIntervalSince1970, y.timeIntervalSince1970, name)
        case "time":
            guard let x = seconds(ofTime: IMLValues.text(a)), let y = seconds(ofTime: IMLValues.text(b)) else {
                return negated
            }
            result = try ordered(x, y, name)
        case "semver":
            result = try ordered(Double(semverOrder(IMLValues.text(a), IMLValues.text(b))), 0, name)
        case "boolean":
            result = IMLValues.truthy(a) == IMLValues.truthy(b)
        default:
            throw Failure(message: "unknown filter operator \(op)")
        }
        return negated ? !result : result
    }

    static func ordered(_ x: Double, _ y: Double?, _ name: String) throws -> Bool {
        guard let y else { return false }
        switch name {
        case "equal": return x == y
        case "greater": return x > y
        case "less": return x < y
        case "greaterorequal": return x >= y
        case "lessorequal": return x <= y
        default: throw Failure(message: "unknown comparison \(name)")
        }
    }

    /// "14:05" or "14:05:30" → seconds into the day.
    static func seconds(ofTime text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":").map { Double($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts[0]! * 3600 + parts[1]! * 60 + (parts.count > 2 ? parts[2]! : 0)
    }

    /// -1, 0 or 1 comparing "1.10.0" with "1.9.3" part by part.
    static func semverOrder(_ a: String, _ b: String) -> Int {
        func parts(_ s: String) -> [Int] {
            s.trimmingCharacters(in: CharacterSet(charactersIn: "vV ")).split(separator: "-").first.map {
                $0.split(separator: ".").map { Int($0) ?? 0 }
            } ?? []
        }
        let x = parts(a)
        let y = parts(b)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? x[i] : 0
            let r = i < y.count ? y[i] : 0
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }
}
