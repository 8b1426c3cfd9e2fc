import Foundation

/// Failures a test or a demo asks the sandbox to produce: the next N calls to a path answer a given status,
/// and a random share of all calls fail, so clients are exercised on every error path over real HTTP.
actor FaultPlan {
    struct Fault: Sendable, Codable {
        /// Matched against the end of the request path ("/people/bulk_match").
        var path: String
        var status: Int
        var count: Int
        /// Seconds to put in Retry-After, when set.
        var retryAfter: Int?
        /// Delays the answer by this many milliseconds (a value above the client's timeout makes it time out).
        var delayMilliseconds: Int?
    }

    private var faults: [Fault] = []
    private var random = SeededRandom(seed: 7)
    let errorRate: Double

    init(errorRate: Double) {
        self.errorRate = errorRate
    }

    func add(_ fault: Fault) { faults.append(fault) }

    func clear() { faults.removeAll() }

    /// The fault this request meets, if any; a planned one is used up.
    func next(for path: String) -> Fault? {
        if let index = faults.firstIndex(where: { path.hasSuffix($0.path) && $0.count > 0 }) {
            faults[index].count -= 1
            let fault = faults[index]
            if fault.count == 0 { faults.remove(at: index) }
            return fault
        }
        if errorRate > 0, Double(random.next() % 10_000) / 10_000 < errorRate {
            return Fault(path: path, status: 503, count: 1)
        }
        return nil
    }
}
