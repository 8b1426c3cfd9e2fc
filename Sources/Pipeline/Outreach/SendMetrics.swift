import LeadgenCore
import Synchronization

/// The messages this process handed to vendors, by channel, provider and outcome: `leadgen_messages_total` at
/// `/metrics`. `unknown` (the vendor may or may not have sent it) is the figure to alert on; `refused` and
/// `deferred` say the vendor or a sending limit said no.
public final class SendMetrics: MetricsSource {
    public enum Outcome: String, Sendable { case sent, refused, deferred, unknown }

    struct Key: Hashable, Comparable {
        var channel: String
        var provider: String
        var outcome: String
        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.channel, lhs.provider, lhs.outcome) < (rhs.channel, rhs.provider, rhs.outcome)
        }
    }

    private let counts = Mutex<[Key: Int]>([:])

    public init() {}

    public func record(channel: String, provider: String, outcome: Outcome) {
        counts.withLock { $0[Key(channel: channel, provider: provider, outcome: outcome.rawValue), default: 0] += 1 }
    }

    public func count(channel: String, provider: String, outcome: Outcome) -> Int {
        counts.withLock { $0[Key(channel: channel, provider: provider, outcome: outcome.rawValue)] ?? 0 }
    }

    public func prometheusText() -> String {
        var messages = PrometheusFamily(
            "leadgen_messages_total", .counter, help: "Messages handed to vendors, by channel, provider and outcome.")
        for (key, value) in counts.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            messages.add(["channel": key.channel, "provider": key.provider, "outcome": key.outcome], value)
        }
        return messages.text
    }
}
