import Foundation
import LeadgenCore

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
            // A double holds about 15 significant digits: more changes nothing.
            let digits = v.count > 1 ? try integer(name, v[1], in: -15...15) : 0
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
            let decimals = v.count > 1 ? try integer(name, v[1], within: 0...20, "decimal places") : 0
            let decimalSeparator = v.count > 2 ? text(2) : ","
            let thousands = v.count > 3 ? text(3) : "."
            return .string(formatNumber(x, decimals, decimalSeparator, thousands))
        default: return nil
        }
    }

    /// `x` with `decimals` places (0–20) and its whole part in groups of three; any double, however large.
    static func formatNumber(_ x: Double, _ decimals: Int, _ decimalSeparator: String, _ thousands: String) -> String {
        guard x.isFinite else { return String(x) }
        let places = min(max(decimals, 0), 20)
        // Half away from zero, as before printing, where the scaled number still fits a double.
        let scale = pow(10, Double(places))
        let scaled = (abs(x) * scale).rounded()
        let fixed = String(format: "%.\(places)f", scaled.isFinite ? scaled / scale : abs(x))
        let pieces = fixed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(pieces.first ?? "0")
        var groups: [String] = []
        var end = whole.count
        while end > 0 {
            let start = max(0, end - 3)
            groups.insert(String(whole[start..<end]), at: 0)
            end = start
        }
        let isZero = fixed.allSatisfy { $0 == "0" || $0 == "." }
        var text = (x < 0 && !isZero ? "-" : "") + groups.joined(separator: thousands)
        if pieces.count > 1 { text += decimalSeparator + pieces[1] }
        return text
    }
}
