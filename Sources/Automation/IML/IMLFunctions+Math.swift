import Foundation

extension IMLFunctions {
    /// Make's math functions (round, sum, parseNumber, formatNumber…); nil for another name.
    static func mathFunction(_ name: String, _ v: [JSON]) throws(IMLEvaluationError) -> JSON? {
        func text(_ i: Int) -> String { Self.text(v, i) }
        switch name {
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
        default: return nil
        }
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
}
