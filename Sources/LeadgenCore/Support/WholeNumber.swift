/// Turns numbers that come from outside (JSON, expressions, forms) into `Int`s without ever trapping: `Int(x)`
/// on a NaN, an infinity or a double beyond ±9.2e18 stops the process, so every such conversion goes here.
public enum WholeNumber {
    /// `value` rounded toward zero and clamped into `range`; nil when it is NaN or infinite.
    public static func clamped(_ value: Double, to range: ClosedRange<Int>) -> Int? {
        guard value.isFinite else { return nil }
        let truncated = value.rounded(.towardZero)
        // Compare as doubles first: Double(Int.max) is 2^63, which Int cannot hold.
        if truncated <= Double(range.lowerBound) { return range.lowerBound }
        if truncated >= Double(range.upperBound) { return range.upperBound }
        return Int(truncated)
    }

    /// The integer `value` is exactly, or nil when it has a fraction, is NaN or infinite, or is beyond `range`.
    public static func exactly(_ value: Double, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard let whole = Int(exactly: value), range.contains(whole) else { return nil }
        return whole
    }
}
