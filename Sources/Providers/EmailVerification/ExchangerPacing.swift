import Foundation

/// How fast the probe may ask each mail exchanger: a token bucket per exchanger host, shared by every probe
/// of the process, so one run's addresses at one provider are spread out instead of arriving together (mail
/// servers take a burst of `RCPT TO` without `DATA` for address harvesting). An exchanger that answered
/// "try again later" is left alone for a while.
public actor ExchangerPacing {
    let perSecond: Double
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (TimeInterval) async throws -> Void
    private var buckets: [String: RateLimiter] = [:]

    /// The most exchangers remembered; past it the buckets start again (a run seldom meets that many).
    static let maxExchangers = 10_000

    public init(
        perSecond: Double,
        now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.perSecond = min(max(perSecond, 0.001), 1000)
        self.now = now
        self.sleep = sleep
    }

    /// Waits until `host` may be asked again, and takes its turn.
    public func wait(for host: String) async throws {
        try await bucket(host).acquire()
    }

    /// Leaves `host` alone for `seconds` (it greylisted or said it was busy).
    public func slowDown(_ host: String, for seconds: TimeInterval) async {
        await bucket(host).pause(for: seconds)
    }

    private func bucket(_ host: String) -> RateLimiter {
        let key = host.lowercased()
        if let known = buckets[key] { return known }
        if buckets.count >= Self.maxExchangers { buckets.removeAll() }
        let made = RateLimiter(capacity: 1, perSecond: perSecond, now: now, sleep: sleep)
        buckets[key] = made
        return made
    }
}
