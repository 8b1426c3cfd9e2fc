import Crypto
import Foundation

/// Make's functions (reference make.md §3): general, text, math, date and array.
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
        default: [value]  // array ← scalar gives [scalar] (reference §3, type coercion)
        }
    }

    static func zone(_ value: JSON?, _ context: IMLContext) -> TimeZone {
        value.flatMap { $0.stringValue }.flatMap(TimeZone.init(identifier:)) ?? context.timeZone
    }

    static func apply(_ name: String, _ v: [JSON], context: IMLContext) throws(IMLEvaluationError) -> JSON {
        func text(_ i: Int) -> String { i < v.count ? Values.text(v[i]) : "" }
        switch name {
        // General
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

        // Text
        case "length":
            try count(name, v, 1...1)
            switch v[0] {
            case .array(let items): return .int(items.count)
            case .object(let fields): return .int(fields.count)
            case .null: return .int(0)
            default: return .int(text(0).count)
            }
        case "lower": return .string(text(0).lowercased())
        case "upper": return .string(text(0).uppercased())
        case "capitalize":
            let t = text(0)
            return .string(t.prefix(1).uppercased() + t.dropFirst())
        case "startcase":
            return .string(
                text(0).split(separator: " ", omittingEmptySubsequences: false).map {
                    $0.prefix(1).uppercased() + $0.dropFirst().lowercased()
                }.joined(separator: " "))
        case "trim": return .string(text(0).trimmingCharacters(in: .whitespacesAndNewlines))
        case "replace":
            try count(name, v, 3...3)
            return .string(try replace(text(0), text(1), text(2)))
        case "substring":
            try count(name, v, 2...3)
            let chars = Array(text(0))
            let start = max(0, min(chars.count, Int(try number(name, v[1]))))
            let end = v.count > 2 ? max(start, min(chars.count, Int(try number(name, v[2])))) : chars.count
            return .string(String(chars[start..<end]))
        case "indexOf":
            try count(name, v, 2...3)
            let chars = Array(text(0))
            let needle = Array(text(1))
            let from = v.count > 2 ? max(0, Int(try number(name, v[2]))) : 0
            guard !needle.isEmpty else { return .int(from <= chars.count ? from : -1) }
            var i = from
            while i + needle.count <= chars.count {
                if Array(chars[i..<(i + needle.count)]) == needle { return .int(i) }
                i += 1
            }
            return .int(-1)
        case "split":
            try count(name, v, 2...2)
            let separator = text(1)
            guard !separator.isEmpty else { return .array(text(0).map { .string(String($0)) }) }
            return .array(text(0).components(separatedBy: separator).map { .string($0) })
        case "contains":
            try count(name, v, 2...2)
            if case .array(let items) = v[0] { return .bool(items.contains { Values.equal($0, v[1]) }) }
            return .bool(text(0).contains(text(1)))
        case "toString": return .string(text(0))
        case "base64": return .string(Data(text(0).utf8).base64EncodedString())
        case "md5": return .string(hex(Insecure.MD5.hash(data: Data(text(0).utf8))))
        case "sha1", "sha256", "sha512":
            try count(name, v, 1...4)
            let data = Data(text(0).utf8)
            let encoding = v.count > 1 ? text(1).lowercased() : "hex"
            let bytes: [UInt8]
            if v.count > 2, !text(2).isEmpty {
                let key = SymmetricKey(data: Data(text(2).utf8))
                switch name {
                case "sha1": bytes = Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
                case "sha256": bytes = Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
                default: bytes = Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
                }
            } else {
                switch name {
                case "sha1": bytes = Array(Insecure.SHA1.hash(data: data))
                case "sha256": bytes = Array(SHA256.hash(data: data))
                default: bytes = Array(SHA512.hash(data: data))
                }
            }
            return .string(encoding == "base64" ? Data(bytes).base64EncodedString() : hex(bytes))
        case "encodeURL":
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-_.!~*'()")
            return .string(text(0).addingPercentEncoding(withAllowedCharacters: allowed) ?? text(0))
        case "decodeURL": return .string(text(0).removingPercentEncoding ?? text(0))
        case "escapeHTML":
            return .string(
                text(0).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;"))
        case "stripHTML":
            return .string(text(0).replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression))
        case "escapeMarkdown":
            var out = ""
            for c in text(0) {
                if "\\`*_{}[]()#+-.!|>~".contains(c) { out.append("\\") }
                out.append(c)
            }
            return .string(out)
        case "ascii":
            let folded =
                v.count > 1 && Values.truthy(v[1])
                ? text(0).folding(options: .diacriticInsensitive, locale: nil) : text(0)
            return .string(String(folded.unicodeScalars.filter(\.isASCII).map(Character.init)))

        // Math
        case "round", "ceil", "floor":
            try count(name, v, 1...1)
            let x = try number(name, v[0])
            // round is half up: 1.5 → 2, -1.5 → -1 (inferred from "half up").
            let result = name == "round" ? (x + 0.5).rounded(.down) : name == "ceil" ? x.rounded(.up) : x.rounded(.down)
            return Values.json(result)
        case "trunc":
            try count(name, v, 1...2)
            let x = try number(name, v[0])
            let digits = v.count > 1 ? Int(try number(name, v[1])) : 0
            let scale = pow(10, Double(digits))
            return Values.json((x * scale).rounded(.towardZero) / scale)
        case "abs": return Values.json(abs(try number(name, v.first ?? .null)))
        case "min", "max", "sum", "average", "median":
            let items = v.count == 1 ? array(v[0]) : v
            let numbers = items.compactMap(Values.number)
            guard !numbers.isEmpty else { return name == "sum" ? .int(0) : .null }
            switch name {
            case "min": return Values.json(numbers.min()!)
            case "max": return Values.json(numbers.max()!)
            case "sum": return Values.json(numbers.reduce(0, +))
            case "average": return Values.json(numbers.reduce(0, +) / Double(numbers.count))
            default:
                let sorted = numbers.sorted()
                let mid = sorted.count / 2
                return Values.json(sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2)
            }
        case "parseNumber":
            try count(name, v, 1...2)
            let decimal = v.count > 1 ? text(1) : "."
            var digits = ""
            for c in text(0) {
                if c.isNumber || c == "-" { digits.append(c) } else if String(c) == decimal { digits.append(".") }
            }
            guard let value = Double(digits) else { throw wrong(name, "text holding a number, got \(text(0))") }
            return Values.json(value)
        case "formatNumber":
            try count(name, v, 1...4)
            let x = try number(name, v[0])
            let decimals = v.count > 1 ? max(0, Int(try number(name, v[1]))) : 0
            let decimalSeparator = v.count > 2 ? text(2) : ","
            let thousands = v.count > 3 ? text(3) : "."
            return .string(formatNumber(x, decimals, decimalSeparator, thousands))

        // Dates
        case "formatDate":
            try count(name, v, 2...3)
            return .string(
                IMLDates.format(try date(name, v[0]), text(1), timeZone: zone(v.count > 2 ? v[2] : nil, context)))
        case "parseDate":
            try count(name, v, 1...3)
            let timeZone = zone(v.count > 2 ? v[2] : nil, context)
            if v.count == 1 {
                guard let parsed = IMLDates.date(v[0]) else { throw wrong(name, "an ISO 8601 date, got \(text(0))") }
                return .string(IMLDates.iso(parsed))
            }
            do {
                return .string(IMLDates.iso(try IMLDates.parse(text(0), text(1), timeZone: timeZone)))
            } catch {
                throw IMLEvaluationError(message: "parseDate: '\(text(0))' does not match the format '\(text(1))'")
            }
        case "addSeconds", "addMinutes", "addHours", "addDays", "addMonths", "addYears":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            let amount = Int(try number(name, v[1]))
            let component: Calendar.Component =
                switch name {
                case "addSeconds": .second
                case "addMinutes": .minute
                case "addHours": .hour
                case "addDays": .day
                case "addMonths": .month
                default: .year
                }
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            guard let result = calendar.date(byAdding: component, value: amount, to: base) else { return .null }
            return .string(IMLDates.iso(result))
        case "setSecond", "setMinute", "setHour", "setDate", "setMonth", "setYear":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            let value = Int(try number(name, v[1]))
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            var parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .nanosecond], from: base)
            // Out-of-range values roll over (setDate(…; 32) is the 1st of the next month).
            switch name {
            case "setSecond": parts.second = value
            case "setMinute": parts.minute = value
            case "setHour": parts.hour = value
            case "setDate": parts.day = value
            case "setMonth": parts.month = value
            default: parts.year = value
            }
            guard let result = calendar.date(from: parts) else { return .null }
            return .string(IMLDates.iso(result))
        case "setDay":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            var target: Int
            if let n = Values.number(v[1]) {
                target = Int(n)
            } else if let index = IMLDates.dayNames.firstIndex(where: { $0.lowercased() == text(1).lowercased() }) {
                target = index + 1
            } else {
                throw wrong(name, "a day from 1 (Sunday) to 7 or a day name")
            }
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            let weekday = calendar.component(.weekday, from: base)
            target = target - weekday
            guard let result = calendar.date(byAdding: .day, value: target, to: base) else { return .null }
            return .string(IMLDates.iso(result))
        case "dateDifference":
            try count(name, v, 2...3)
            let ms = (try date(name, v[0]).timeIntervalSince(try date(name, v[1]))) * 1000
            let unit = v.count > 2 ? text(2).lowercased() : "milliseconds"
            let divisor: Double =
                switch unit {
                case "seconds": 1000
                case "minutes": 60_000
                case "hours": 3_600_000
                case "days": 86_400_000
                default: 1
                }
            return Values.json((ms / divisor).rounded(.towardZero))

        // Arrays
        case "first": return array(v.first ?? .null).first ?? .null
        case "last": return array(v.first ?? .null).last ?? .null
        case "join":
            try count(name, v, 1...2)
            return .string(array(v[0]).map(Values.text).joined(separator: v.count > 1 ? text(1) : ","))
        case "slice":
            try count(name, v, 2...3)
            let items = array(v[0])
            let start = max(0, min(items.count, Int(try number(name, v[1]))))
            let end = v.count > 2 ? max(start, min(items.count, Int(try number(name, v[2])))) : items.count
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
            let depth = v.count > 1 ? Int(Values.number(v[1]) ?? 1) : 1
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
        default:
            throw IMLEvaluationError(message: "unknown function \(name)")
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

    /// `replace` with a literal or a `/regex/flags` search; the replacement understands `$&` and `$1`.
    static func replace(_ text: String, _ search: String, _ replacement: String) throws(IMLEvaluationError) -> String {
        if search.hasPrefix("/"), let close = search.lastIndex(of: "/"), close != search.startIndex {
            let pattern = String(search[search.index(after: search.startIndex)..<close])
            let flags = search[search.index(after: close)...]
            var options: NSRegularExpression.Options = []
            if flags.contains("i") { options.insert(.caseInsensitive) }
            if flags.contains("m") { options.insert(.anchorsMatchLines) }
            guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else {
                throw IMLEvaluationError(message: "replace: '\(search)' is not a valid regular expression")
            }
            let template = replacement.replacingOccurrences(of: "$&", with: "$0")
            let range = NSRange(text.startIndex..., in: text)
            if flags.contains("g") {
                return regex.stringByReplacingMatches(in: text, range: range, withTemplate: template)
            }
            guard let match = regex.firstMatch(in: text, range: range) else { return text }
            let replaced = regex.replacementString(for: match, in: text, offset: 0, template: template)
            return (text as NSString).replacingCharacters(in: match.range, with: replaced)
        }
        guard !search.isEmpty else { return text }
        return text.replacingOccurrences(of: search, with: replacement)
    }

    static func formatNumber(_ x: Double, _ decimals: Int, _ decimalSeparator: String, _ thousands: String) -> String {
        let scale = pow(10, Double(decimals))
        let rounded = (abs(x) * scale).rounded() / scale
        let whole = Int(rounded.rounded(.down))
        var groups: [String] = []
        var rest = whole
        repeat {
            let group = rest % 1000
            rest /= 1000
            groups.insert(rest > 0 ? IMLDates.pad(group, 3) : String(group), at: 0)
        } while rest > 0
        var text = (x < 0 && rounded != 0 ? "-" : "") + groups.joined(separator: thousands)
        if decimals > 0 {
            let fraction = Int(((rounded - Double(whole)) * scale).rounded())
            text += decimalSeparator + IMLDates.pad(fraction, decimals)
        }
        return text
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
