/// Durations counted into fixed buckets, with their count and sum: one series of a Prometheus histogram. The
/// buckets are upper bounds in seconds, ascending; a duration above the last counts only in `+Inf`.
public struct LatencyHistogram: Sendable, Equatable {
    /// For requests: 5 ms to 10 s.
    public static let requestBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// For jobs and vendor calls, which may take minutes: 10 ms to 5 min.
    public static let workBounds: [Double] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

    public let bounds: [Double]
    /// How many durations fell in each bucket alone (not cumulative), one per bound.
    private(set) var counts: [Int]
    public private(set) var count = 0
    public private(set) var sum = 0.0

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func record(_ seconds: Double) {
        let value = seconds.isFinite ? max(0, seconds) : 0
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
        count += 1
        sum += value
    }

    /// Each bound with the durations at or below it (cumulative), as Prometheus' `le` buckets are.
    public var cumulative: [(bound: Double, count: Int)] {
        var running = 0
        return zip(bounds, counts).map { bound, count in
            running += count
            return (bound, running)
        }
    }
}
