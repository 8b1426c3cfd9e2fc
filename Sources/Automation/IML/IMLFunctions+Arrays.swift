import Foundation
import LeadgenCore

extension IMLFunctions {
    /// Make's array functions (first, join, map, sort, distinct, toCollection…); nil for another name.
    static func arrayFunction(_ name: String, _ v: [JSON]) throws(IMLEvaluationError) -> JSON? {
        func text(_ i: Int) -> String { Self.text(v, i) }
        switch name {
        case "first": return array(v.first ?? .null).first ?? .null
        case "last": return array(v.first ?? .null).last ?? .null
        case "join":
            try count(name, v, 1...2)
            return .string(array(v[0]).map(Values.text).joined(separator: v.count > 1 ? text(1) : ","))
        case "slice":
            try count(name, v, 2...3)
            let items = array(v[0])
            let start = try integer(name, v[1], in: 0...items.count)
            let end = v.count > 2 ? try integer(name, v[2], in: start...items.count) : items.count
            return .array(Array(items[start..<end]))
        case "merge": return .array(v.flatMap(array))
        case "add":
            return .array(array(v.first ?? .null) + v.dropFirst())
        case "remove":
            let removed = Array(v.dropFirst())
            return .array(array(v.first ?? .null).filter { item in !removed.contains { Values.equal($0, item) } })
        case "map":
            try count(name, v, 2...4)
            var items = array(v[0])
            if v.count > 2 {
                let filterKey = text(2)
                let allowed =
                    v.count > 3
                    ? Set(text(3).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) : []
                items = items.filter { allowed.contains(Values.text(getPath($0, .string(filterKey)))) }
            }
            return .array(items.map { getPath($0, v[1]) })
        case "sort":
            try count(name, v, 1...3)
            let order = v.count > 1 ? text(1).lowercased() : "asc"
            let key = v.count > 2 ? v[2] : nil
            let descending = order.hasPrefix("desc")
            let caseInsensitive = order.hasSuffix(" ci")
            let sorted = array(v[0]).sorted { a, b in
                var x = key.map { getPath(a, $0) } ?? a
                var y = key.map { getPath(b, $0) } ?? b
                if caseInsensitive {
                    x = .string(Values.text(x).lowercased())
                    y = .string(Values.text(y).lowercased())
                }
                let order = Values.compare(x, y) ?? 0
                return descending ? order > 0 : order < 0
            }
            return .array(sorted)
        case "reverse": return .array(array(v.first ?? .null).reversed())
        case "flatten":
            // Deeper than 64 levels flattens nothing more: evaluated values nest no deeper than that.
            let depth = v.count > 1 ? try integer(name, v[1], in: 0...64) : 1
            func flat(_ items: [JSON], _ depth: Int) -> [JSON] {
                items.flatMap { item -> [JSON] in
                    if depth > 0, case .array(let inner) = item { return flat(inner, depth - 1) }
                    return [item]
                }
            }
            return .array(flat(array(v.first ?? .null), depth))
        case "distinct", "deduplicate":
            var seen: [JSON] = []
            var result: [JSON] = []
            for item in array(v.first ?? .null) {
                let identity = v.count > 1 ? getPath(item, v[1]) : item
                if !seen.contains(identity) {
                    seen.append(identity)
                    result.append(item)
                }
            }
            return .array(result)
        case "keys":
            guard case .object(let fields) = v.first ?? .null else { return .array([]) }
            return .array(fields.keys.sorted().map { .string($0) })
        case "toArray":
            guard case .object(let fields) = v.first ?? .null else { return .array(array(v.first ?? .null)) }
            return .array(fields.keys.sorted().map { .object(["key": .string($0), "value": fields[$0]!]) })
        case "toCollection":
            try count(name, v, 3...3)
            var collection: [String: JSON] = [:]
            for item in array(v[0]) { collection[Values.text(getPath(item, v[1]))] = getPath(item, v[2]) }
            return .object(collection)
        default: return nil
        }
    }
}
